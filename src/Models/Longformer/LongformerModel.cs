using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Longformer;

/// <summary>
/// Ports transformers 5.12.1 <c>models/longformer/modeling_longformer.py: LongformerModel</c>: RoBERTa embeddings
/// (<see cref="BertEmbeddings"/> with positions from the ids), <see cref="BertLayer"/>s whose self-attention is
/// <see cref="LongformerSelfAttention"/>, and the pooler. Keys as transformers: <c>embeddings.*</c>,
/// <c>encoder.layer.{i}.attention.self.{query,key,value,query_global,key_global,value_global}.*</c>, the rest as
/// RoBERTa, <c>pooler.dense.*</c>; with <c>longformer.</c> in front inside head checkpoints.
/// Like transformers, it pads every batch to a multiple of the largest attention window with pad tokens (attention
/// mask 0), runs them through every layer and cuts the outputs back; the pads never influence a real position.
/// </summary>
public sealed class LongformerModel : EncoderModel
{
    /// <summary>Loads or creates a Longformer encoder under <paramref name="vb"/>; the pooler only when <paramref name="addPoolingLayer"/>.</summary>
    public LongformerModel(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer = true)
        : base(config)
    {
        Windows = LongformerConfig.Windows(config);
        Embeddings = Child("embeddings", new BertEmbeddings(config, vb.Pp("embeddings"), rng));
        Encoder = Child("encoder", new BertEncoder(config, vb.Pp("encoder"), rng,
            (selfVb, layer) => new LongformerSelfAttention(config, selfVb, Windows[layer], rng)));
        Pooler = addPoolingLayer ? Child("pooler", new BertPooler(config, vb.Pp("pooler"))) : null;
    }

    /// <summary><c>embeddings</c>.</summary>
    public BertEmbeddings Embeddings { get; }
    /// <summary><c>encoder</c>, with Longformer self-attention in every layer.</summary>
    public BertEncoder Encoder { get; }
    /// <summary><c>pooler</c>, or null for a model without one.</summary>
    public BertPooler? Pooler { get; }

    /// <summary>Full attention window of each layer.</summary>
    public IReadOnlyList<int> Windows { get; }

    /// <summary>Inputs are padded to a multiple of this (the largest window).</summary>
    public int PaddingMultiple => Windows.Max();

    /// <inheritdoc/>
    public override string Architecture => "LongformerModel";

    /// <inheritdoc/>
    public override bool HasPooler => Pooler is not null;

    /// <inheritdoc/>
    public override Tensor WordEmbeddingWeight => Embeddings.WordEmbeddings.Weight;

    /// <summary>The self-attention of layer <paramref name="index"/>.</summary>
    public LongformerSelfAttention SelfAttention(int index) => (LongformerSelfAttention)Encoder.Layers[index].Attention.Self;

    /// <summary>
    /// last_hidden_state (B, T, H), pooler_output and optionally hidden_states (each cut back to T).
    /// <see cref="EncoderInput.GlobalAttentionMask"/> marks global tokens (null: none, as transformers' base model).
    /// </summary>
    public override EncoderOutput Encode(EncoderInput input, bool outputHiddenStates = false)
    {
        CheckInput(input);
        var padded = PadToWindow(input, PaddingMultiple, PadTokenId);
        var hidden = Embeddings.Forward(padded.InputIds, padded.Batch, padded.Length, padded.TokenTypeIds);
        var inputs = AttentionInputs.Create(padded.Batch, padded.Length, padded.AttentionMask, padded.GlobalAttentionMask);
        var states = outputHiddenStates ? new List<Tensor>() : null;
        var last = Encoder.Forward(hidden, inputs, states);
        if (padded.Length != input.Length)
        {
            last = Ops.Slice(last, 1, 0, input.Length);
            states = states?.Select(s => Ops.Slice(s, 1, 0, input.Length)).ToList();
        }
        return new EncoderOutput(last, Pooler?.Forward(last), states);
    }

    /// <summary>
    /// HF <c>LongformerModel._pad_to_window_size</c>: appends <c>(w − T mod w) mod w</c> positions per row with
    /// input id <paramref name="padTokenId"/> (so RoBERTa position id = pad), attention mask 0, token type 0 and no
    /// global attention. Returns <paramref name="input"/> itself when T is already a multiple of w.
    /// </summary>
    public static EncoderInput PadToWindow(EncoderInput input, int window, int padTokenId)
    {
        var extra = (window - input.Length % window) % window;
        if (extra == 0) return input;
        int b = input.Batch, t = input.Length, tp = t + extra;
        int[] Pad(int[] source, int fill)
        {
            var result = new int[b * tp];
            for (var r = 0; r < b; r++)
            {
                source.AsSpan(r * t, t).CopyTo(result.AsSpan(r * tp));
                result.AsSpan(r * tp + t, extra).Fill(fill);
            }
            return result;
        }
        return new EncoderInput(Pad(input.InputIds, padTokenId), Pad(input.AttentionMask, 0), b, tp,
            Pad(input.TokenTypeIds ?? new int[b * t], 0), input.GlobalAttentionMask is { } g ? Pad(g, 0) : null);
    }

    /// <summary>A freshly initialised model (HF <c>_init_weights</c>) drawn from <paramref name="seed"/>.</summary>
    public static LongformerModel Create(BertConfig config, ulong seed = 0, bool addPoolingLayer = true) =>
        new(config, VarBuilder.Fresh(new Rng(seed)), new Rng(seed + 1), addPoolingLayer);

    /// <summary>Loads a Hugging Face checkpoint directory (config.json + model.safetensors), with or without the <c>longformer.</c> prefix.</summary>
    public static LongformerModel Load(string dir, LoadOptions? options = null) => ModelLoader.Load<LongformerModel>(dir, options).Model;

    /// <summary>Writes config.json ("architectures": LongformerModel) and model.safetensors as transformers' save_pretrained.</summary>
    public void Save(string dir) => ModelLoader.Save(this, dir);
}
