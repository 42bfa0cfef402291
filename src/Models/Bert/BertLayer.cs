using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Creates the self-attention of layer <c>layerIndex</c> from the builder of its <c>attention.self</c> keys.
/// </summary>
public delegate SelfAttentionModule SelfAttentionFactory(VarBuilder vb, int layerIndex);

/// <summary>
/// dense → dropout → LayerNorm(x + input). Ports transformers <c>modeling_bert.py: BertSelfOutput</c>
/// (also Roberta/LongformerSelfOutput). Keys: <c>dense</c>, <c>LayerNorm</c>.
/// </summary>
public sealed class BertSelfOutput : Module
{
    /// <summary>Loads or creates <c>attention.output.*</c> under <paramref name="vb"/>.</summary>
    public BertSelfOutput(BertConfig config, VarBuilder vb, Rng rng)
    {
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.HiddenSize, config.HiddenSize, true, (float)config.InitializerRange));
        LayerNorm = Child("LayerNorm", new LayerNorm(vb.Pp("LayerNorm"), config.HiddenSize, (float)config.LayerNormEps));
        Dropout = Child("dropout", new Dropout((float)config.HiddenDropoutProb, rng));
    }

    /// <summary><c>dense</c> (H, H).</summary>
    public Linear Dense { get; }
    /// <summary><c>LayerNorm</c> over the residual sum.</summary>
    public LayerNorm LayerNorm { get; }
    /// <summary>Dropout before the residual sum.</summary>
    public Dropout Dropout { get; }

    /// <summary>hidden = attention context (B, T, H), input = the layer's input (B, T, H) → (B, T, H).</summary>
    public Tensor Forward(Tensor hidden, Tensor input) => LayerNorm.Forward(Ops.Add(Dropout.Forward(Dense.Forward(hidden)), input));
}

/// <summary>
/// self-attention → <see cref="BertSelfOutput"/>. Ports transformers <c>modeling_bert.py: BertAttention</c>.
/// Keys: <c>self.*</c>, <c>output.*</c>.
/// </summary>
public sealed class BertAttention : Module
{
    /// <summary>Loads or creates <c>attention.*</c> under <paramref name="vb"/> around the self-attention <paramref name="self"/>.</summary>
    public BertAttention(BertConfig config, VarBuilder vb, Rng rng, SelfAttentionModule self)
    {
        Self = Child("self", self);
        Output = Child("output", new BertSelfOutput(config, vb.Pp("output"), rng));
    }

    /// <summary><c>self</c>: the self-attention.</summary>
    public SelfAttentionModule Self { get; }
    /// <summary><c>output</c>: projection, dropout, residual and LayerNorm.</summary>
    public BertSelfOutput Output { get; }

    /// <summary>Self-attention then output over <paramref name="hidden"/> (B, T, H).</summary>
    public Tensor Forward(Tensor hidden, AttentionInputs inputs) => Output.Forward(Self.Forward(hidden, inputs), hidden);
}

/// <summary>
/// dense H → I, then <c>hidden_act</c> (exact erf GELU for "gelu"). Ports transformers
/// <c>modeling_bert.py: BertIntermediate</c>. Key: <c>dense</c>.
/// </summary>
public sealed class BertIntermediate : Module
{
    private readonly string activation;

    /// <summary>Loads or creates <c>intermediate.dense</c> under <paramref name="vb"/>.</summary>
    public BertIntermediate(BertConfig config, VarBuilder vb)
    {
        activation = config.HiddenAct;
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.HiddenSize, config.IntermediateSize, true, (float)config.InitializerRange));
    }

    /// <summary><c>dense</c> (intermediate_size, H).</summary>
    public Linear Dense { get; }

    /// <summary>The config's <c>hidden_act</c>.</summary>
    public string HiddenAct => activation;

    /// <summary>Activation of <c>dense</c> over <paramref name="hidden"/>: (B, T, H) → (B, T, intermediate_size).</summary>
    public Tensor Forward(Tensor hidden) => Activation.Apply(activation, Dense.Forward(hidden));
}

/// <summary>
/// dense I → H → dropout → LayerNorm(x + input). Ports transformers <c>modeling_bert.py: BertOutput</c>.
/// Keys: <c>dense</c>, <c>LayerNorm</c>.
/// </summary>
public sealed class BertOutput : Module
{
    /// <summary>Loads or creates <c>output.*</c> under <paramref name="vb"/>.</summary>
    public BertOutput(BertConfig config, VarBuilder vb, Rng rng)
    {
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.IntermediateSize, config.HiddenSize, true, (float)config.InitializerRange));
        LayerNorm = Child("LayerNorm", new LayerNorm(vb.Pp("LayerNorm"), config.HiddenSize, (float)config.LayerNormEps));
        Dropout = Child("dropout", new Dropout((float)config.HiddenDropoutProb, rng));
    }

    /// <summary><c>dense</c> (H, intermediate_size).</summary>
    public Linear Dense { get; }
    /// <summary><c>LayerNorm</c> over the residual sum.</summary>
    public LayerNorm LayerNorm { get; }
    /// <summary>Dropout before the residual sum.</summary>
    public Dropout Dropout { get; }

    /// <summary>hidden = intermediate activations (B, T, I), input = attention output (B, T, H) → (B, T, H).</summary>
    public Tensor Forward(Tensor hidden, Tensor input) => LayerNorm.Forward(Ops.Add(Dropout.Forward(Dense.Forward(hidden)), input));
}

/// <summary>
/// One transformer block: attention, then the feed-forward pair. Ports transformers
/// <c>modeling_bert.py: BertLayer</c> (encoder path; no cross-attention). The self-attention is pluggable:
/// pass a <see cref="SelfAttentionModule"/> (Longformer) or null for <see cref="BertSelfAttention"/>.
/// Keys: <c>attention.*</c>, <c>intermediate.*</c>, <c>output.*</c>.
/// </summary>
public sealed class BertLayer : Module
{
    /// <summary>Loads or creates <c>encoder.layer.{i}</c> under <paramref name="vb"/>; <paramref name="selfAttention"/> null: BERT's self-attention.</summary>
    public BertLayer(BertConfig config, VarBuilder vb, Rng rng, SelfAttentionModule? selfAttention = null)
    {
        var self = selfAttention ?? new BertSelfAttention(config, vb.Pp("attention").Pp("self"), rng);
        Attention = Child("attention", new BertAttention(config, vb.Pp("attention"), rng, self));
        Intermediate = Child("intermediate", new BertIntermediate(config, vb.Pp("intermediate")));
        Output = Child("output", new BertOutput(config, vb.Pp("output"), rng));
    }

    /// <summary><c>attention</c>.</summary>
    public BertAttention Attention { get; }
    /// <summary><c>intermediate</c>.</summary>
    public BertIntermediate Intermediate { get; }
    /// <summary><c>output</c>.</summary>
    public BertOutput Output { get; }

    /// <summary>(B, T, H) → (B, T, H).</summary>
    public Tensor Forward(Tensor hidden, AttentionInputs inputs)
    {
        var attention = Attention.Forward(hidden, inputs);
        return Output.Forward(Intermediate.Forward(attention), attention);
    }
}
