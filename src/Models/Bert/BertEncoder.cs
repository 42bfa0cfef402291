using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// The stack of <see cref="BertLayer"/>s. Ports transformers <c>modeling_bert.py: BertEncoder</c>.
/// Keys: <c>layer.{i}.*</c>. <c>selfAttention</c> builds each layer's attention (null: BERT's).
/// </summary>
public sealed class BertEncoder : Module
{
    /// <summary>Loads or creates the layers under <paramref name="vb"/> (<c>encoder.layer.{i}</c>); <paramref name="selfAttention"/> replaces BERT's self-attention (Longformer).</summary>
    public BertEncoder(BertConfig config, VarBuilder vb, Rng rng, SelfAttentionFactory? selfAttention = null)
    {
        var layers = new BertLayer[config.NumHiddenLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            var layerVb = vb.Pp($"layer.{i}");
            var self = selfAttention?.Invoke(layerVb.Pp("attention").Pp("self"), i);
            layers[i] = Child($"layer.{i}", new BertLayer(config, layerVb, rng, self));
        }
        Layers = layers;
    }

    /// <summary><c>layer.{i}</c>, in order.</summary>
    public IReadOnlyList<BertLayer> Layers { get; }

    // The inference path's buffers, kept between calls; a concurrent call that finds them taken makes its own.
    private BertInference? spare;

    /// <summary>
    /// (B, T, H) → (B, T, H); in eval mode with nothing to record, through <see cref="BertInference"/>. When <paramref name="hiddenStates"/> is given, the input and every layer's output are
    /// appended to it (transformers' <c>output_hidden_states</c>: index 0 is the embedding output).
    /// </summary>
    public Tensor Forward(Tensor hidden, AttentionInputs inputs, List<Tensor>? hiddenStates = null)
    {
        if (BertInference.Applies(this, hidden))
        {
            var inference = Interlocked.Exchange(ref spare, null) ?? new BertInference();
            try
            {
                return inference.Run(Layers, hidden, inputs, hiddenStates);
            }
            finally
            {
                spare = inference;
            }
        }
        hiddenStates?.Add(hidden);
        foreach (var layer in Layers)
        {
            hidden = layer.Forward(hidden, inputs);
            hiddenStates?.Add(hidden);
        }
        return hidden;
    }
}

/// <summary>
/// tanh(dense(h[:, 0])) on the first token. Ports transformers <c>modeling_bert.py: BertPooler</c>. Key: <c>dense</c>.
/// </summary>
public sealed class BertPooler : Module
{
    /// <summary>Loads or creates <c>pooler.dense</c> under <paramref name="vb"/>.</summary>
    public BertPooler(BertConfig config, VarBuilder vb) =>
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.HiddenSize, config.HiddenSize, true, (float)config.InitializerRange));

    /// <summary><c>dense</c> (H, H), followed by tanh.</summary>
    public Linear Dense { get; }

    /// <summary>(B, T, H) → (B, H).</summary>
    public Tensor Forward(Tensor hidden) => Ops.Tanh(Dense.Forward(FirstToken(hidden)));

    /// <summary>h[:, 0] : (B, T, H) → (B, H).</summary>
    public static Tensor FirstToken(Tensor hidden) => Ops.Reshape(Ops.Slice(hidden, 1, 0, 1), hidden.Dim(0), hidden.Dim(2));
}
