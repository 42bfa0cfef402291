using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>What an encoder returns: last_hidden_state (B, T, H), pooler_output (B, H) when it has a pooler,
/// and, on request, hidden_states (embedding output, then each layer's output).</summary>
public sealed record EncoderOutput(Tensor LastHiddenState, Tensor? PoolerOutput = null, IReadOnlyList<Tensor>? HiddenStates = null);

/// <summary>
/// A loadable Hugging Face model of this project: a base encoder or an encoder with a task head. It knows its
/// transformers class name and returns its outputs under transformers' output names
/// (<c>last_hidden_state</c>, <c>pooler_output</c>, <c>logits</c>, <c>start_logits</c>, <c>end_logits</c>).
/// </summary>
public interface IHfModel
{
    /// <summary>The model's configuration (config.json).</summary>
    BertConfig Config { get; }

    /// <summary>transformers class name written to config.json "architectures" (e.g. "BertForQuestionAnswering").</summary>
    string Architecture { get; }

    /// <summary>The model as a module (parameters, train/eval).</summary>
    Module Module { get; }

    /// <summary>Runs the model; outputs keyed by transformers' output names.</summary>
    IReadOnlyDictionary<string, Tensor> Run(EncoderInput input);
}

/// <summary>
/// Base of the BERT-family encoders (BERT, RoBERTa, Longformer). Heads take any <see cref="EncoderModel"/>
/// so that they work over every encoder; a new encoder registers with <see cref="EncoderFactory"/>.
/// </summary>
public abstract class EncoderModel : Module, IHfModel
{
    /// <summary>An encoder for <paramref name="config"/>.</summary>
    protected EncoderModel(BertConfig config) => Config = config;

    /// <inheritdoc/>
    public BertConfig Config { get; }

    /// <summary>Width H of the hidden states.</summary>
    public int HiddenSize => Config.HiddenSize;

    /// <summary>Id the model uses for padding (BERT 0, RoBERTa 1).</summary>
    public int PadTokenId => Config.PaddingIdx;

    /// <summary>Longest sequence the position table allows.</summary>
    public virtual int MaxLength => Config.MaxLength;

    /// <summary>True when the encoder has a pooler (pooler.dense) and returns pooler_output.</summary>
    public abstract bool HasPooler { get; }

    /// <inheritdoc/>
    public abstract string Architecture { get; }

    /// <summary>The word embedding table (V, H); masked-LM decoders are tied to it.</summary>
    public abstract Tensor WordEmbeddingWeight { get; }

    Module IHfModel.Module => this;

    /// <summary>Runs the encoder; hidden states are collected when <paramref name="outputHiddenStates"/>.</summary>
    public abstract EncoderOutput Encode(EncoderInput input, bool outputHiddenStates = false);

    /// <summary>last_hidden_state (B, T, H).</summary>
    public Tensor Forward(EncoderInput input) => Encode(input).LastHiddenState;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Run(EncoderInput input)
    {
        var output = Encode(input);
        var result = new Dictionary<string, Tensor> { ["last_hidden_state"] = output.LastHiddenState };
        if (output.PoolerOutput is { } pooled) result["pooler_output"] = pooled;
        return result;
    }

    /// <summary>Checks that the arrays of <paramref name="input"/> have Batch × Length entries.</summary>
    protected static void CheckInput(EncoderInput input)
    {
        var n = input.Batch * input.Length;
        if (input.Batch <= 0 || input.Length <= 0) throw new ArgumentException($"empty batch: batch {input.Batch}, length {input.Length}");
        if (input.InputIds.Length != n) throw new ArgumentException($"input_ids has {input.InputIds.Length} entries, expected batch {input.Batch} × length {input.Length} = {n}");
        if (input.AttentionMask.Length != n) throw new ArgumentException($"attention_mask has {input.AttentionMask.Length} entries, expected {n}");
        if (input.TokenTypeIds is { } tt && tt.Length != n) throw new ArgumentException($"token_type_ids has {tt.Length} entries, expected {n}");
        if (input.GlobalAttentionMask is { } g && g.Length != n) throw new ArgumentException($"global_attention_mask has {g.Length} entries, expected {n}");
    }
}
