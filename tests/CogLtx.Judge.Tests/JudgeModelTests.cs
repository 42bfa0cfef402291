using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Judge.Tests;

public sealed class JudgeModelTests
{
    private static (JudgeModel Judge, SafeTensorsFile Expected) LoadFixture()
    {
        var dir = TestPaths.Fixture("roberta-tiny-tok");
        var config = BertConfig.Load(Path.Combine(dir, "config.json"));
        var (tensors, _, _) = ModelLoader.ReadWeights(dir);
        var vb = VarBuilder.FromTensors(tensors, dir);
        var judge = JudgeModel.Create(config, vb, new Rng(1));
        Assert.Empty(vb.UnusedKeys);
        judge.Eval();
        return (judge, SafeTensors.Read(Path.Combine(dir, "expected.safetensors")));
    }

    private static int[] Ints(SafeTensorsFile f, string name) => f.GetInt64(name).Select(v => (int)v).ToArray();

    private static void AssertClose(float[] expected, float[] actual, float atol = 1e-5f, float rtol = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(MathF.Abs);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= atol + rtol * scale, $"index {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Forward_MatchesRobertaForTokenClassificationFixture()
    {
        var (judge, expected) = LoadFixture();
        var input = new EncoderInput(Ints(expected, "input.input_ids"), Ints(expected, "input.attention_mask"), 2, 12);
        var logits = judge.Forward(input);
        Assert.Equal([2, 12], logits.Shape);
        AssertClose(expected.GetFloat("out.logits").Data, logits.Data);
    }

    [Fact]
    public void Loss_AndClassifierGradients_MatchTheMaskedBceFixture()
    {
        // label_loss = Σ BCE(logit, label)·mask / Σ mask (the CogLTX judge loss)
        var (judge, expected) = LoadFixture();
        var mask = Ints(expected, "input.attention_mask");
        var input = new EncoderInput(Ints(expected, "input.input_ids"), mask, 2, 12);
        var loss = TokenClassificationModel.BinaryLoss(judge.Forward(input), expected.GetFloat("label.labels").Data, mask.Select(m => (float)m).ToArray());
        Assert.Equal(expected.GetFloat("label_loss").Item(), loss.Item(), 5);
        loss.Backward();
        AssertClose(expected.GetFloat("label_grad.classifier.weight").Data, judge.Classifier.Weight.Grad!);
        AssertClose(expected.GetFloat("label_grad.classifier.bias").Data, judge.Classifier.Bias!.Grad!);
    }

    [Fact]
    public void Loss_HandWorked_AveragesOverMaskedTokensOnly()
    {
        // logits [0, ln 3, 5, −2], labels [1, 0, 1, 1], mask [1, 1, 0, 1]
        // bce: ln 2, ln 4, (masked), ln(1 + e²) → mean over 3
        var l3 = MathF.Log(3f);
        var logits = new Tensor([0f, l3, 5f, -2f], 2, 2);
        var loss = TokenClassificationModel.BinaryLoss(logits, [1f, 0f, 1f, 1f], [1f, 1f, 0f, 1f]);
        var expected = (Math.Log(2) + Math.Log(4) + Math.Log(1 + Math.Exp(2))) / 3;
        Assert.Equal(expected, loss.Item(), 5);
        Assert.Throws<ArgumentException>(() => TokenClassificationModel.BinaryLoss(logits, [1f, 0f, 1f, 1f], [0f, 0f, 0f, 0f]));
    }

    [Fact]
    public void ScoreBlocks_EqualsMeanSigmoidOfTheForwardLogits_QueryBlocksScoreOne()
    {
        var (judge, expected) = LoadFixture();
        // Row 0 of the fixture as two blocks: [<s> 45 678 999 13 </s>] [</s> 87 512 4 33 </s>]
        var query = new Block([0, 45, 678, 999, 13, 2], 1, BlockKind.Query);
        var doc = new Block([2, 87, 512, 4, 33, 2], 2);
        var scores = judge.ScoreBlocks([AssembledInput.From([query, doc])]);
        var logits = expected.GetFloat("out.logits").Data;
        var want1 = logits[6..12].Average(x => 1 / (1 + Math.Exp(-x)));
        Assert.Equal(1f, scores[0][0]);
        Assert.Equal(want1, scores[0][1], 4);
    }

    [Theory]
    [InlineData(0f, 0.5f)]
    [InlineData(100f, 1f)]
    [InlineData(-100f, 3.7200760e-44f)]
    public void Sigmoid_IsStableAtExtremes(float x, float expected) => Assert.Equal(expected, JudgeScorer.Sigmoid(x), 6);

    [Fact]
    public void NamedParameters_FollowTheHuggingFaceLayout()
    {
        var (judge, _) = LoadFixture();
        var names = judge.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("roberta.embeddings.word_embeddings.weight", names);
        Assert.Contains("classifier.weight", names);
        Assert.Contains("classifier.bias", names);
        Assert.DoesNotContain(names, n => n.Contains("pooler", StringComparison.Ordinal));
        Assert.Equal("RobertaForTokenClassification", judge.Architecture);
        Assert.Equal(1, judge.Config.NumLabels);
    }
}
