using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>BertModel / RobertaModel against transformers' outputs and gradients (tests/fixtures/models/*-tiny).</summary>
public sealed class BertModelParityTests
{
    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("roberta-tiny")]
    public void BaseModel_Outputs_MatchHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var model = (EncoderModel)EncoderFactory.Load(Fixtures.ModelDir(name));
        model.Eval();
        using var _ = Autograd.NoGrad();
        var output = model.Encode(Fixtures.Input(expected), outputHiddenStates: true);
        Fixtures.AssertClose(output.LastHiddenState, expected.GetFloat("out.last_hidden_state"), "last_hidden_state");
        Fixtures.AssertClose(output.PoolerOutput!, expected.GetFloat("out.pooler_output"), "pooler_output");
        Assert.Equal(3, output.HiddenStates!.Count);
        for (var i = 0; i < 3; i++)
            Fixtures.AssertClose(output.HiddenStates[i], expected.GetFloat($"dbg.hidden_states.{i}"), $"hidden_states.{i}");
    }

    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("roberta-tiny")]
    public void BaseModel_AttentionProbabilities_MatchHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var model = (BertFamilyModel)EncoderFactory.Load(Fixtures.ModelDir(name));
        model.Eval();
        using var _ = Autograd.NoGrad();
        var input = Fixtures.Input(expected);
        var states = model.Encode(input, outputHiddenStates: true).HiddenStates!;
        var inputs = AttentionInputs.Create(input.Batch, input.Length, input.AttentionMask);
        for (var i = 0; i < 2; i++)
        {
            var self = (BertSelfAttention)model.Encoder.Layers[i].Attention.Self;
            var probs = self.Probabilities(states[i], inputs);
            Fixtures.AssertClose(probs, expected.GetFloat($"dbg.attentions.{i}"), $"attentions.{i}");
        }
    }

    [Fact]
    public void RobertaPositionIds_MatchHuggingFace()
    {
        var expected = Fixtures.Expected("roberta-tiny");
        var input = Fixtures.Input(expected);
        var positions = BertEmbeddings.RobertaPositionIds(input.InputIds, input.Batch, input.Length, pad: 1);
        Assert.Equal(Fixtures.Ints(expected, "dbg.position_ids"), positions);
    }

    [Fact]
    public void RobertaPositionIds_HandWorked()
    {
        // pad = 1: pos = cumsum(ids ≠ 1)·(ids ≠ 1) + 1. Row [0, 5, 1, 7] → [2, 3, 1, 4]: a pad in the middle keeps
        // position 1 and the next real token continues the count.
        Assert.Equal([2, 3, 1, 4, 2, 1, 1, 1], BertEmbeddings.RobertaPositionIds([0, 5, 1, 7, 9, 1, 1, 1], 2, 4, pad: 1));
    }

    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("roberta-tiny")]
    public void BaseModel_ProbeLossGradients_MatchHuggingFace(string name)
    {
        var expected = Fixtures.Expected(name);
        var model = (EncoderModel)EncoderFactory.Load(Fixtures.ModelDir(name));
        model.Eval();
        var output = model.Encode(Fixtures.Input(expected));
        // loss = Σ last_hidden_state ⊙ R + Σ pooler_output ⊙ R_pooler (padded positions included)
        var loss = Ops.Add(Fixtures.Probe(output.LastHiddenState, expected.GetFloat("bwd.R")),
            Fixtures.Probe(output.PoolerOutput!, expected.GetFloat("bwd.R_pooler")));
        Fixtures.AssertClose(loss, expected.GetFloat("bwd.loss"), "probe loss");
        loss.Backward();
        Fixtures.AssertGrads(model, expected, "grad.");
    }

    [Fact]
    public void Bert_PaddingRowOfWordTable_GetsNoGradient()
    {
        // torch padding_idx: row pad_token_id = 0 of the word table is used at padded positions but gets no gradient.
        var expected = Fixtures.Expected("bert-tiny");
        var model = BertModel.Load(Fixtures.ModelDir("bert-tiny"));
        model.Eval();
        var output = model.Encode(Fixtures.Input(expected));
        Ops.Sum(Ops.Mul(output.LastHiddenState, output.LastHiddenState)).Backward();
        var grad = model.Embeddings.WordEmbeddings.Weight.Grad!;
        Assert.All(grad.AsSpan(0, 32).ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(grad.AsSpan(2 * 32, 32).ToArray(), g => g != 0f); // id 2 ([CLS]-like) is a real token
    }
}
