using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>The MLM head beyond the parity of <see cref="HeadParityTests"/>: the masked-positions forward and the save layout.</summary>
public sealed class MaskedLmModelTests
{
    [Theory]
    [InlineData("bert-tiny-mlm")]
    [InlineData("roberta-tiny-mlm")]
    public void ForwardAt_LabelledPositions_GivesForwardsRowsAndHuggingFacesLossAndGrads(string name)
    {
        var expected = Fixtures.Expected(name);
        var (model, _) = ModelLoader.Load<MaskedLmModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        model.Eval();
        var input = Fixtures.Input(expected);
        var labels = Fixtures.Ints(expected, "label.labels");
        var positions = Enumerable.Range(0, labels.Length).Where(i => labels[i] != -100).ToArray();
        var full = model.Forward(input);
        var v = full.Dim(-1);
        var rows = model.ForwardAt(input, positions);
        Assert.Equal([positions.Length, v], rows.Shape);
        for (var r = 0; r < positions.Length; r++)
            Fixtures.AssertClose(rows.Data.AsSpan(r * v, v), new Tensor(full.Data.AsSpan(positions[r] * v, v).ToArray(), [v]), $"row {positions[r]}");
        // The loss over the labelled rows is transformers' masked-LM loss, and so are its gradients (tied table included).
        model.ZeroGrad();
        var loss = Ops.CrossEntropy(rows, [.. positions.Select(p => labels[p])]);
        Fixtures.AssertClose(loss, expected.GetFloat("out.loss"), "loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");
    }

    [Theory]
    [InlineData("bert-tiny-mlm", "cls.predictions.")]
    [InlineData("roberta-tiny-mlm", "lm_head.")]
    public void Save_WritesTheHeadUnderHuggingFaceNames_WithoutTheTiedDecoder_AndReloadsExactly(string name, string headPrefix)
    {
        var (model, _) = ModelLoader.Load<MaskedLmModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        using var dir = new TempDir();
        ModelLoader.Save(model, dir.Path);
        var saved = SafeTensors.Read(dir.File(ModelLoader.WeightsFile));
        var original = SafeTensors.Read(Path.Combine(Fixtures.ModelDir(name), ModelLoader.WeightsFile));
        Assert.Equal(original.Names.Order(StringComparer.Ordinal), saved.Names.Order(StringComparer.Ordinal));
        Assert.Contains(saved.Names, k => k.StartsWith(headPrefix, StringComparison.Ordinal));
        Assert.DoesNotContain(saved.Names, k => k.Contains(".decoder.", StringComparison.Ordinal));
        var (reloaded, report) = ModelLoader.Load<MaskedLmModel>(dir.Path, new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Same(reloaded.Encoder.WordEmbeddingWeight, reloaded.DecoderWeight);
        model.Eval();
        reloaded.Eval();
        var input = Fixtures.Input(Fixtures.Expected(name));
        Assert.Equal(model.Forward(input).Data, reloaded.Forward(input).Data);
    }

    [Fact]
    public void BaseCheckpoint_LoadedForMaskedLm_GetsASeededFreshHeadTiedToItsEmbeddings()
    {
        // MiniLM ships as a BertModel: loading it for masked LM initialises cls.predictions.* and reports them missing.
        var load = () => ModelLoader.Load<MaskedLmModel>(Fixtures.ModelDir("bert-tiny"), new LoadOptions { InitSeed = 7 });
        var (a, report) = load();
        var (b, _) = load();
        Assert.Contains("cls.predictions.transform.dense.weight", report.MissingKeys);
        Assert.DoesNotContain(report.MissingKeys, k => k.Contains("decoder", StringComparison.Ordinal));
        Assert.Same(a.Encoder.WordEmbeddingWeight, a.DecoderWeight);
        Assert.Equal(a.Dense.Weight.Data, b.Dense.Weight.Data);
        Assert.Contains(a.Dense.Weight.Data, x => x != 0);
    }
}
