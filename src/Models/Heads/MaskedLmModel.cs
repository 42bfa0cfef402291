using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Masked language modelling: transform (dense → activation → LayerNorm), then a decoder whose weight is the word
/// embedding table (tied, as transformers does with <c>tie_word_embeddings</c>) plus its own bias.
/// BERT: transformers <c>modeling_bert.py: BertForMaskedLM</c> / <c>BertLMPredictionHead</c>, keys
/// <c>cls.predictions.transform.dense</c>, <c>cls.predictions.transform.LayerNorm</c>, <c>cls.predictions.bias</c>,
/// activation <c>hidden_act</c>. RoBERTa/Longformer: <c>modeling_roberta.py: RobertaForMaskedLM</c> /
/// <c>RobertaLMHead</c>, keys <c>lm_head.dense</c>, <c>lm_head.layer_norm</c>, <c>lm_head.bias</c>, exact GELU.
/// The decoder weight is not a key of its own: checkpoints omit it and <see cref="ModelLoader"/> ignores it.
/// </summary>
public sealed class MaskedLmModel : HeadModel
{
    private readonly string activation;

    /// <summary>Loads or creates the encoder and the masked-LM head under <paramref name="vb"/>.</summary>
    public MaskedLmModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: false, HfTask.MaskedLM)
    {
        var h = config.HiddenSize;
        var std = (float)config.InitializerRange;
        var eps = (float)config.LayerNormEps;
        if (config.ModelType == "bert")
        {
            var head = vb.Pp("cls.predictions");
            activation = config.HiddenAct;
            Dense = Child("cls.predictions.transform.dense", new Linear(head.Pp("transform.dense"), h, h, true, std));
            LayerNorm = Child("cls.predictions.transform.LayerNorm", new LayerNorm(head.Pp("transform.LayerNorm"), h, eps));
            DecoderBias = Param("cls.predictions.bias", head.Get("bias", [config.VocabSize], Init.Zeros));
        }
        else
        {
            var head = vb.Pp("lm_head");
            activation = "gelu";
            Dense = Child("lm_head.dense", new Linear(head.Pp("dense"), h, h, true, std));
            LayerNorm = Child("lm_head.layer_norm", new LayerNorm(head.Pp("layer_norm"), h, eps));
            DecoderBias = Param("lm_head.bias", head.Get("bias", [config.VocabSize], Init.Zeros));
        }
    }

    /// <summary>The head's dense transform (H, H).</summary>
    public Linear Dense { get; }
    /// <summary>The head's LayerNorm, after the dense transform.</summary>
    public LayerNorm LayerNorm { get; }

    /// <summary>The decoder's bias (V).</summary>
    public Tensor DecoderBias { get; }

    /// <summary>The decoder's weight (V, H): the word embedding table itself.</summary>
    public Tensor DecoderWeight => Encoder.WordEmbeddingWeight;

    /// <summary>
    /// The head's own parameters (transform and decoder bias: keys under <c>cls.</c> or <c>lm_head.</c>), without the
    /// encoder and without the decoder weight, which is the encoder's word embedding table.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Value)> HeadParameters() =>
        NamedParameters().Where(p => p.Name.StartsWith("cls.", StringComparison.Ordinal) || p.Name.StartsWith("lm_head.", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Checkpoint keys that hold copies of tied tensors (older checkpoints save them); loading skips them.
    /// </summary>
    public static readonly IReadOnlyList<string> TiedKeys =
        ["cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "lm_head.decoder.weight", "lm_head.decoder.bias"];

    /// <summary>logits (B, T, V).</summary>
    public Tensor Forward(EncoderInput input) => Predict(Encoder.Forward(input));

    /// <summary>
    /// logits (P, V) at the flattened positions b·T + t of <paramref name="positions"/> only. The head acts on each position
    /// alone, so these rows equal <see cref="Forward"/>'s, and the MLM loss over the masked positions is the same; the
    /// vocabulary projection (V·H per position, the largest matrix of a small model) is done for the ~15% that have labels.
    /// </summary>
    public Tensor ForwardAt(EncoderInput input, int[] positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var hidden = Encoder.Forward(input);
        return Predict(Ops.IndexSelect(Ops.Reshape(hidden, -1, hidden.Dim(-1)), 0, positions));
    }

    private Tensor Predict(Tensor hidden) =>
        Ops.Linear(LayerNorm.Forward(Activation.Apply(activation, Dense.Forward(hidden))), DecoderWeight, DecoderBias);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' masked-LM loss: mean cross-entropy over positions whose label is not −100.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) => Ops.CrossEntropy(Ops.Reshape(logits, -1, logits.Dim(-1)), labels);
}
