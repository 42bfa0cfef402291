using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>Task heads against transformers (tests/fixtures/models/*-tiny-{qa,cls,tok,mlm}): outputs, probe-loss and label-loss gradients.</summary>
public sealed class HeadParityTests
{
    [Theory]
    [InlineData("bert-tiny-qa")]
    [InlineData("roberta-tiny-qa")]
    public void QuestionAnswering_MatchesHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var (model, report) = ModelLoader.Load<QuestionAnsweringModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        model.Eval();
        var input = Fixtures.Input(expected);
        var (start, end) = model.Forward(input);
        Fixtures.AssertClose(start, expected.GetFloat("out.start_logits"), "start_logits");
        Fixtures.AssertClose(end, expected.GetFloat("out.end_logits"), "end_logits");

        // probe: Σ start ⊙ R[..., 0] + Σ end ⊙ R[..., 1], R (B, T, 2)
        var r = expected.GetFloat("bwd.R");
        var rStart = Ops.Reshape(Ops.Slice(r, 2, 0, 1), input.Batch, input.Length);
        var rEnd = Ops.Reshape(Ops.Slice(r, 2, 1, 1), input.Batch, input.Length);
        var probe = Ops.Add(Fixtures.Probe(start, rStart), Fixtures.Probe(end, rEnd));
        Fixtures.AssertClose(probe, expected.GetFloat("bwd.loss"), "probe loss");
        probe.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");

        model.ZeroGrad();
        (start, end) = model.Forward(input);
        var loss = QuestionAnsweringModel.Loss(start, end, Fixtures.Ints(expected, "label.start_positions"), Fixtures.Ints(expected, "label.end_positions"));
        Fixtures.AssertClose(loss, expected.GetFloat("label_loss"), "label loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "label_grad.");
    }

    [Theory]
    [InlineData("bert-tiny-cls")]
    [InlineData("roberta-tiny-cls")]
    public void SequenceClassification_MatchesHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var (model, report) = ModelLoader.Load<SequenceClassificationModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Equal(3, model.NumLabels);
        model.Eval();
        var input = Fixtures.Input(expected);
        var logits = model.Forward(input);
        Fixtures.AssertClose(logits, expected.GetFloat("out.logits"), "logits");
        var probe = Fixtures.Probe(logits, expected.GetFloat("bwd.R"));
        Fixtures.AssertClose(probe, expected.GetFloat("bwd.loss"), "probe loss");
        probe.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");

        model.ZeroGrad();
        var loss = SequenceClassificationModel.Loss(model.Forward(input), Fixtures.Ints(expected, "label.labels"));
        Fixtures.AssertClose(loss, expected.GetFloat("label_loss"), "label loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "label_grad.");
    }

    [Theory]
    [InlineData("bert-tiny-tok")]
    [InlineData("roberta-tiny-tok")]
    public void TokenClassification_JudgeHead_MatchesHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var (model, report) = ModelLoader.Load<TokenClassificationModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Equal(1, model.NumLabels);
        model.Eval();
        var input = Fixtures.Input(expected);
        var logits = model.Forward(input);
        Fixtures.AssertClose(logits, expected.GetFloat("out.logits"), "logits");
        var probe = Fixtures.Probe(logits, expected.GetFloat("bwd.R"));
        probe.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");

        // label loss: Σ BCEWithLogits(logit, label)·mask / Σ mask (the CogLTX judge loss)
        model.ZeroGrad();
        var mask = input.AttentionMask.Select(m => (float)m).ToArray();
        var loss = TokenClassificationModel.BinaryLoss(model.Forward(input), expected.GetFloat("label.labels").Data, mask);
        Fixtures.AssertClose(loss, expected.GetFloat("label_loss"), "label loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "label_grad.");
    }

    [Theory]
    [InlineData("bert-tiny-mlm")]
    [InlineData("roberta-tiny-mlm")]
    public void MaskedLm_TiedDecoder_MatchesHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        // Strict: the decoder weight is absent from the file and must be tied, not reported missing.
        var (model, report) = ModelLoader.Load<MaskedLmModel>(Fixtures.ModelDir(name), new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Same(model.Encoder.WordEmbeddingWeight, model.DecoderWeight);
        model.Eval();
        var logits = model.Forward(Fixtures.Input(expected));
        Fixtures.AssertClose(logits, expected.GetFloat("out.logits"), "logits");
        var loss = MaskedLmModel.Loss(logits, Fixtures.Ints(expected, "label.labels"));
        Fixtures.AssertClose(loss, expected.GetFloat("out.loss"), "loss");
        loss.Backward();
        // The tied table's gradient sums both uses (embedding lookup and decoder), stored once under the embedding name.
        Fixtures.AssertGrads(model, expected, "grad.");
    }
}
