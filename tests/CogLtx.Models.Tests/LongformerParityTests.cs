using CogLtx.Models.Longformer;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>
/// LongformerModel / LongformerForSequenceClassification against transformers 5.12.1 (tests/fixtures/models/longformer-tiny*):
/// window 4 (±2), row 0 global on token 0, row 1 global on tokens 0–2 with three padding tokens. expected.safetensors
/// has seq 21, which transformers pads internally to 24; expected_seq20.safetensors needs no internal padding.
/// Tolerance: max|a − b| ≤ 1e-5 + 1e-4·max|b| per tensor (fixtures README).
/// </summary>
public sealed class LongformerParityTests
{
    private static SafeTensorsFile Expected(string model, string file) => SafeTensors.Read(Path.Combine(Fixtures.ModelDir(model), file));

    private static EncoderInput Input(SafeTensorsFile file) =>
        Fixtures.Input(file) with { GlobalAttentionMask = Fixtures.Ints(file, "input.global_attention_mask") };

    [Theory]
    [InlineData("expected.safetensors")]
    [InlineData("expected_seq20.safetensors")]
    public void LongformerModel_Outputs_MatchHuggingFace(string file)
    {
        var expected = Expected("longformer-tiny", file);
        var model = LongformerModel.Load(Fixtures.ModelDir("longformer-tiny"));
        model.Eval();
        using var _ = Autograd.NoGrad();
        var input = Input(expected);
        var output = model.Encode(input, outputHiddenStates: true);
        Fixtures.AssertClose(output.LastHiddenState, expected.GetFloat("out.last_hidden_state"), "last_hidden_state");
        Fixtures.AssertClose(output.PoolerOutput!, expected.GetFloat("out.pooler_output"), "pooler_output");
        for (var i = 0; i < 3; i++)
            Fixtures.AssertClose(output.HiddenStates![i], expected.GetFloat($"dbg.hidden_states.{i}"), $"hidden_states.{i}");
        Assert.Equal(Fixtures.Ints(expected, "dbg.position_ids"), BertEmbeddings.RobertaPositionIds(input.InputIds, input.Batch, input.Length, pad: 1));
    }

    /// <summary>
    /// The inference path runs Longformer's attention in a pool scope per call, whose arrays the next call reuses:
    /// alternating lengths (21, padded to 24, and 20) every call still matches transformers, and an earlier result is
    /// not changed by later calls.
    /// </summary>
    [Fact]
    public void LongformerModel_RepeatedInference_ReusesPooledStorageWithoutChangingResults()
    {
        var model = LongformerModel.Load(Fixtures.ModelDir("longformer-tiny"));
        model.Eval();
        using var _ = Autograd.NoGrad();
        var files = new[] { "expected.safetensors", "expected_seq20.safetensors", "expected.safetensors" }.Select(f => Expected("longformer-tiny", f)).ToArray();
        var outputs = files.Select(f => model.Encode(Input(f)).LastHiddenState).ToArray();
        var first = (float[])outputs[0].Data.Clone();
        for (var i = 0; i < files.Length; i++)
            Fixtures.AssertClose(outputs[i], files[i].GetFloat("out.last_hidden_state"), $"call {i + 1}: last_hidden_state");
        Assert.Equal(first, outputs[0].Data);
        Assert.Equal(outputs[0].Data, outputs[2].Data);
    }

    [Theory]
    [InlineData("expected.safetensors")]
    [InlineData("expected_seq20.safetensors")]
    public void LongformerModel_ProbeLossGradients_MatchHuggingFace(string file)
    {
        var expected = Expected("longformer-tiny", file);
        var model = LongformerModel.Load(Fixtures.ModelDir("longformer-tiny"));
        model.Eval();
        var output = model.Encode(Input(expected));
        // loss = Σ last_hidden_state ⊙ R + Σ pooler_output ⊙ R_pooler, padded positions included
        var loss = Ops.Add(Fixtures.Probe(output.LastHiddenState, expected.GetFloat("bwd.R")),
            Fixtures.Probe(output.PoolerOutput!, expected.GetFloat("bwd.R_pooler")));
        Fixtures.AssertClose(loss, expected.GetFloat("bwd.loss"), "probe loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");
    }

    [Fact]
    public void LongformerForSequenceClassification_LogitsAndGradients_MatchHuggingFace()
    {
        var expected = Expected("longformer-tiny-cls", "expected.safetensors");
        var (model, report) = LongformerForSequenceClassification.Load(Fixtures.ModelDir("longformer-tiny-cls"));
        Assert.True(report.IsExact, report.ToString());
        model.Eval();
        var input = Input(expected);

        var logits = model.Forward(input);
        Fixtures.AssertClose(logits, expected.GetFloat("out.logits"), "logits");
        var probe = Fixtures.Probe(logits, expected.GetFloat("bwd.R"));
        Fixtures.AssertClose(probe, expected.GetFloat("bwd.loss"), "probe loss");
        probe.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");

        model.ZeroGrad();
        var loss = LongformerForSequenceClassification.Loss(model.Forward(input), Fixtures.Ints(expected, "label.labels"));
        Fixtures.AssertClose(loss, expected.GetFloat("label_loss"), "label_loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "label_grad.");
    }

    /// <summary>Only &lt;s&gt; reaches the head and &lt;s&gt; is global, so layer 1's local query/key/value get exactly zero gradient.</summary>
    [Fact]
    public void LongformerForSequenceClassification_LastLayerLocalProjections_GetZeroGradient()
    {
        var expected = Expected("longformer-tiny-cls", "expected.safetensors");
        var (model, _) = LongformerForSequenceClassification.Load(Fixtures.ModelDir("longformer-tiny-cls"));
        model.Eval();
        Fixtures.Probe(model.Forward(Input(expected)), expected.GetFloat("bwd.R")).Backward();
        var self = model.Longformer.SelfAttention(1);
        foreach (var p in new[] { self.Query.Weight, self.Key.Weight, self.Value.Weight })
            Assert.All(p.Grad ?? [], g => Assert.Equal(0f, g));
        Assert.Contains(self.QueryGlobal.Weight.Grad!, g => g != 0f);
    }

    /// <summary>transformers: without global_attention_mask the classifier puts global attention on &lt;s&gt; alone.</summary>
    [Fact]
    public void LongformerForSequenceClassification_WithoutGlobalMask_MakesFirstTokenGlobal()
    {
        var expected = Expected("longformer-tiny-cls", "expected.safetensors");
        var (model, _) = LongformerForSequenceClassification.Load(Fixtures.ModelDir("longformer-tiny-cls"));
        model.Eval();
        using var _ = Autograd.NoGrad();
        var input = Fixtures.Input(expected);
        var explicitFirst = new int[input.InputIds.Length];
        explicitFirst[0] = explicitFirst[input.Length] = 1;
        Assert.Equal(model.Forward(input with { GlobalAttentionMask = explicitFirst }).Data, model.Forward(input).Data);
        var none = model.Forward(input with { GlobalAttentionMask = new int[input.InputIds.Length] }).Data;
        Assert.NotEqual(none, model.Forward(input).Data);
    }

    [Fact]
    public void LongformerModel_SaveThenLoad_KeepsKeysAndOutputs()
    {
        var dir = Fixtures.ModelDir("longformer-tiny");
        var model = LongformerModel.Load(dir);
        model.Eval();
        var target = Directory.CreateTempSubdirectory("cogltx-longformer-").FullName;
        try
        {
            model.Save(target);
            Assert.Equal(SafeTensors.Read(Path.Combine(dir, "model.safetensors")).Names.Order(), SafeTensors.Read(Path.Combine(target, "model.safetensors")).Names.Order());
            var config = ModelLoader.ReadConfig(target);
            Assert.Equal("longformer", config.ModelType);
            Assert.Equal([4, 4], config.AttentionWindow!);
            Assert.Equal(["LongformerModel"], config.Architectures!);
            var reloaded = LongformerModel.Load(target);
            reloaded.Eval();
            using var _ = Autograd.NoGrad();
            var input = Input(Expected("longformer-tiny", "expected.safetensors"));
            Assert.Equal(model.Forward(input).Data, reloaded.Forward(input).Data);
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>A head checkpoint (keys under longformer.) loads as the base model: the head is reported unused, the pooler initialised.</summary>
    [Fact]
    public void LongformerModel_LoadsHeadCheckpoint_StrippingTheLongformerPrefix()
    {
        var (model, report) = ModelLoader.Load<LongformerModel>(Fixtures.ModelDir("longformer-tiny-cls"));
        Assert.Equal(["pooler.dense.bias", "pooler.dense.weight"], report.MissingKeys);
        Assert.Equal(["classifier.dense.bias", "classifier.dense.weight", "classifier.out_proj.bias", "classifier.out_proj.weight"], report.UnexpectedKeys);
        var (cls, _) = LongformerForSequenceClassification.Load(Fixtures.ModelDir("longformer-tiny-cls"));
        Assert.Equal(cls.Longformer.SelfAttention(0).KeyGlobal.Weight.Data, model.SelfAttention(0).KeyGlobal.Weight.Data);
    }

    [Fact]
    public void LongformerModel_CheckpointWithoutGlobalProjection_NamesTheKey()
    {
        var (tensors, _, _) = ModelLoader.ReadWeights(Fixtures.ModelDir("longformer-tiny"));
        tensors.Remove("encoder.layer.1.attention.self.key_global.weight");
        var config = ModelLoader.ReadConfig(Fixtures.ModelDir("longformer-tiny"));
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.FromTensors(config, tensors, HfTask.Base, "test checkpoint"));
        Assert.Contains("encoder.layer.1.attention.self.key_global.weight", e.Message);
    }

    /// <summary>T = 5, w = 4: one pad position per row, id = pad (1), attention mask 0, token type 0, not global.</summary>
    [Fact]
    public void PadToWindow_AppendsPadTokens_HandWorked()
    {
        var input = new EncoderInput([0, 7, 8, 9, 2, 0, 5, 2, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 5, null, [1, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
        var padded = LongformerModel.PadToWindow(input, 4, 1);
        Assert.Equal(8, padded.Length);
        Assert.Equal([0, 7, 8, 9, 2, 1, 1, 1, 0, 5, 2, 1, 1, 1, 1, 1], padded.InputIds);
        Assert.Equal([1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0], padded.AttentionMask);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0], padded.GlobalAttentionMask!);
        Assert.Equal(new int[16], padded.TokenTypeIds);
        Assert.Same(padded, LongformerModel.PadToWindow(padded, 4, 1));
    }
}
