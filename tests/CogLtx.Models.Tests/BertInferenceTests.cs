using CogLtx.Nn;
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

    /// <summary>
    /// Every way the batch is cut over threads (one lane; lanes side by side; side by side, then the remainder over
    /// all threads; fewer sequences than threads) gives the autograd path's result, with and without hidden states,
    /// at an odd length longer than one query block (256 rows) and with every mask kind among the sequences.
    /// </summary>
    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(2, 4, 2)]
    [InlineData(2, 5, 2)]
    [InlineData(3, 7, 3)]
    public void EverySplitOfTheBatch_MatchesAutogradPath(int threads, int batch, int sideBySide)
    {
        const int length = 263;
        var config = BertConfig.Scratch(300, layers: 2, hidden: 48, heads: 4, maxLength: 300);
        var model = BertModel.Create(config, seed: 11);
        model.Eval();
        var rng = new Rng(13);
        var ids = new int[batch * length];
        for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(1, config.VocabSize);
        var mask = new int[batch * length];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < length; t++)
                mask[b * length + t] = (b % 4) switch { 0 => 1, 1 => t < 200 - 17 * b ? 1 : 0, 2 => t % 5 == 2 ? 0 : 1, _ => 0 };
        var input = new EncoderInput(ids, mask, batch, length, new int[ids.Length]);
        Assert.Equal(sideBySide, BertInference.SideBySide(model.Encoder.Layers, batch, threads));
        using var scope = ComputeOptions.Use(ComputeOptions.Default with { Threads = threads });
        var reference = Reference(model, input);
        var fast = Fast(model, input);
        for (var i = 0; i < reference.HiddenStates!.Count; i++)
            Fixtures.AssertClose(fast.HiddenStates![i], reference.HiddenStates[i], $"hidden state {i}");
        using (Autograd.NoGrad())
            Fixtures.AssertClose(model.Encode(input).LastHiddenState, reference.LastHiddenState, "last hidden state without hidden states");
    }

    /// <summary>
    /// The embeddings' one-pass eval forward equals the autograd path: BERT with two token types, and RoBERTa
    /// positions (from the ids, pad tokens at the pad position) as Longformer uses them.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Embeddings_InferencePass_MatchesAutogradPath(bool roberta)
    {
        var scratch = BertConfig.Scratch(300, layers: 1, hidden: 40, heads: 2, maxLength: 128);
        var config = roberta ? scratch.AsRoberta() : scratch;
        var embeddings = new BertEmbeddings(config, VarBuilder.Fresh(new Rng(21)), new Rng(20));
        embeddings.Eval();
        var rng = new Rng(22);
        const int batch = 3, length = 37;
        var ids = new int[batch * length];
        var types = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = i % length > 30 && roberta ? config.PaddingIdx : rng.NextInt(3, config.VocabSize);
            types[i] = rng.NextInt(0, config.TypeVocabSize);
        }
        var reference = embeddings.Forward(ids, batch, length, types);
        Assert.True(reference.RequiresGrad, "the reference must take the autograd path");
        using var _ = Autograd.NoGrad();
        var fast = embeddings.Forward(ids, batch, length, types);
        Fixtures.AssertClose(fast, reference, "embeddings");
        Assert.Equal(reference.Data, fast.Data);
        ids[5] = config.VocabSize;
        Assert.Contains("word_embeddings", Assert.Throws<ArgumentOutOfRangeException>(() => embeddings.Forward(ids, batch, length, types)).Message);
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
