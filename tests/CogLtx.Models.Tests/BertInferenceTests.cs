using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>
/// The encoder's inference path (eval mode, nothing recorded) against the autograd path of the same model, which the
/// parity tests hold to transformers: masks of every kind, each activation, more query rows than one block, and
/// buffers reused across calls.
/// </summary>
public sealed class BertInferenceTests
{
    private const int Length = 70;

    private static EncoderInput Input(ulong seed, int vocab)
    {
        var rng = new Rng(seed);
        const int batch = 4;
        var ids = new int[batch * Length];
        for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(1, vocab);
        var mask = new int[batch * Length];
        for (var t = 0; t < Length; t++)
        {
            mask[t] = 1;                                  // no padding
            mask[Length + t] = t < 37 ? 1 : 0;            // right padding
            mask[2 * Length + t] = t % 3 == 1 ? 0 : 1;    // holes
            mask[3 * Length + t] = 0;                     // every key masked: uniform attention, as transformers
        }
        return new EncoderInput(ids, mask, batch, Length, new int[ids.Length]);
    }

    /// <summary>The same model's output with recording on (parameters require gradients: the autograd ops run).</summary>
    private static EncoderOutput Reference(BertModel model, EncoderInput input) => model.Encode(input, outputHiddenStates: true);

    private static EncoderOutput Fast(BertModel model, EncoderInput input)
    {
        using var _ = Autograd.NoGrad();
        return model.Encode(input, outputHiddenStates: true);
    }

    [Theory]
    [InlineData("gelu")]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("gelu_new")]
    public void InferencePath_MatchesAutogradPath(string activation)
    {
        var config = BertConfig.Scratch(300, layers: 3, hidden: 48, heads: 4, maxLength: 128) with { HiddenAct = activation };
        var model = BertModel.Create(config, seed: 5);
        model.Eval();
        var input = Input(7, config.VocabSize);
        var reference = Reference(model, input);
        var fast = Fast(model, input);
        Assert.True(reference.LastHiddenState.RequiresGrad, "the reference must take the autograd path");
        Assert.False(fast.LastHiddenState.RequiresGrad);
        Assert.Equal(reference.HiddenStates!.Count, fast.HiddenStates!.Count);
        for (var i = 0; i < reference.HiddenStates.Count; i++)
            Fixtures.AssertClose(fast.HiddenStates[i], reference.HiddenStates[i], $"hidden state {i}");
        Fixtures.AssertClose(fast.PoolerOutput!, reference.PoolerOutput!, "pooler");
    }

    [Fact]
    public void RepeatedCalls_ReuseBuffers_WithoutChangingEarlierResults()
    {
        var config = BertConfig.Scratch(300, layers: 2, hidden: 32, heads: 2, maxLength: 128);
        var model = BertModel.Create(config, seed: 9);
        model.Eval();
        var first = Fast(model, Input(1, config.VocabSize));
        var kept = (float[])first.LastHiddenState.Data.Clone();
        var keptState = (float[])first.HiddenStates![1].Data.Clone();
        Fast(model, Input(2, config.VocabSize));
        var again = Fast(model, Input(1, config.VocabSize));
        Assert.Equal(kept, first.LastHiddenState.Data);
        Assert.Equal(keptState, first.HiddenStates[1].Data);
        Assert.Equal(kept, again.LastHiddenState.Data);
    }

    [Fact]
    public void TrainingMode_KeepsTheAutogradPath()
    {
        var config = BertConfig.Scratch(300, layers: 1, hidden: 32, heads: 2, maxLength: 128);
        var model = BertModel.Create(config, seed: 3);
        var output = model.Encode(Input(4, config.VocabSize));
        Assert.True(output.LastHiddenState.RequiresGrad);
    }
}
