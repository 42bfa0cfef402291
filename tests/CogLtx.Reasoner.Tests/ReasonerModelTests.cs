using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Tests;

public sealed class ReasonerModelTests
{
    private static (ReasonerModel Model, SafeTensorsFile Expected) Load(string name, ReasonerTask task, int labels)
    {
        var dir = TestPaths.Fixture(name);
        var config = BertConfig.Load(Path.Combine(dir, "config.json"));
        var (tensors, _, _) = ModelLoader.ReadWeights(dir);
        var vb = VarBuilder.FromTensors(tensors, dir);
        var model = ReasonerModel.Create(config, task, labels, vb, new Rng(3));
        Assert.Empty(vb.UnusedKeys);
        model.Eval();
        return (model, SafeTensors.Read(Path.Combine(dir, "expected.safetensors")));
    }

    private static int[] Ints(SafeTensorsFile f, string name) => f.GetInt64(name).Select(v => (int)v).ToArray();

    // One fixture row as an assembled input: a query block holding the whole row (its targets are irrelevant here).
    private static AssembledInput Row(int[] ids, int[] mask, int row, int length, int? label = null)
    {
        var real = mask.Skip(row * length).Take(length).Count(m => m == 1);
        return AssembledInput.From([new Block(ids.Skip(row * length).Take(real).ToArray(), 1, BlockKind.Query) { Label = label }]);
    }

    private static void AssertClose(float expected, float actual, float scale) =>
        Assert.True(MathF.Abs(expected - actual) <= 1e-5f + 1e-4f * scale, $"expected {expected}, got {actual}");

    [Fact]
    public void SpanQa_MatchesRobertaForQuestionAnsweringOnRealPositions_PaddingPushedDown()
    {
        var (model, expected) = Load("roberta-tiny-qa", ReasonerTask.SpanQa, 0);
        var ids = Ints(expected, "input.input_ids");
        var mask = Ints(expected, "input.attention_mask");
        var batch = ReasonerBatch.Create([Row(ids, mask, 0, 12), Row(ids, mask, 1, 12)], ReasonerTask.SpanQa, padId: 1);
        var output = model.Forward(batch);
        var wantStart = expected.GetFloat("out.start_logits").Data;
        var wantEnd = expected.GetFloat("out.end_logits").Data;
        var scale = wantStart.Concat(wantEnd).Max(MathF.Abs);
        for (var i = 0; i < 24; i++)
        {
            if (mask[i] == 0)
            {
                Assert.True(output.StartLogits!.Data[i] < -1e8f);
                continue;
            }
            AssertClose(wantStart[i], output.StartLogits!.Data[i], scale);
            AssertClose(wantEnd[i], output.EndLogits!.Data[i], scale);
        }
        Assert.Equal("RobertaForQuestionAnswering", model.Architecture);
        Assert.Contains("qa_outputs.weight", model.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Classification_MatchesRobertaForSequenceClassification_LossAndGradient()
    {
        var (model, expected) = Load("roberta-tiny-cls", ReasonerTask.Classification, 3);
        var ids = Ints(expected, "input.input_ids");
        var mask = Ints(expected, "input.attention_mask");
        var labels = Ints(expected, "label.labels");
        var batch = ReasonerBatch.Create([Row(ids, mask, 0, 12, labels[0]), Row(ids, mask, 1, 12, labels[1])], ReasonerTask.Classification, padId: 1);
        var output = model.Forward(batch);
        var want = expected.GetFloat("out.logits").Data;
        for (var i = 0; i < want.Length; i++) AssertClose(want[i], output.Logits!.Data[i], want.Max(MathF.Abs));
        var loss = ReasonerModel.Loss(output, batch);
        Assert.Equal(expected.GetFloat("label_loss").Item(), loss.Item(), 5);
        loss.Backward();
        var wantGrad = expected.GetFloat("label_grad.classifier.out_proj.weight").Data;
        var grad = ((SequenceClassificationModel)model.Head).Head!.OutProj.Weight.Grad!;
        for (var i = 0; i < wantGrad.Length; i++) AssertClose(wantGrad[i], grad[i], wantGrad.Max(MathF.Abs));
    }

    [Fact]
    public void SpanLoss_HandWorked_IsMeanOfStartAndEndCrossEntropy_PaddingExcluded()
    {
        // One row of 3 real tokens padded to 4. start logits [0, ln 2, 0 | pad], end [0, 0, ln 2 | pad], targets (1, 2):
        // CE(start) = −ln(2/4) = ln 2; CE(end) = ln 2 → loss ln 2 (padding would otherwise add a 4th exp term).
        var ln2 = MathF.Log(2f);
        var output = new ReasonerOutput(new Tensor([0f, ln2, 0f, -1e9f], 1, 4), new Tensor([0f, 0f, ln2, -1e9f], 1, 4), null);
        var block = new Block([0, 5, 2], 1, BlockKind.Query) { AnswerStart = 1, AnswerEnd = 2 };
        var batch = ReasonerBatch.Create([AssembledInput.From([block]).PadTo(4, 1)], ReasonerTask.SpanQa, padId: 1);
        Assert.Equal(3, batch.RealLengths[0]);
        Assert.Equal(Math.Log(2), ReasonerModel.PerSampleLoss(output, batch).Item(), 5);
    }

    [Fact]
    public void MultiLabel_IsATwoWayHeadOverLabelQueries()
    {
        var config = BertConfig.Load(TestPaths.Fixture("roberta-tiny-cls", "config.json"));
        var model = ReasonerModel.Create(config, ReasonerTask.MultiLabel, numLabels: 67, VarBuilder.Fresh(new Rng(5)), new Rng(6));
        Assert.Equal(2, model.NumLabels);
        Assert.Equal([2, 32], ((SequenceClassificationModel)model.Head).Head!.OutProj.Weight.Shape);
        Assert.Equal(new Dictionary<string, string> { ["0"] = "no", ["1"] = "yes" }, model.Config.Id2Label);
    }
}
