using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Per-token labels: dropout → <c>classifier</c> Linear(H, num_labels). Ports transformers
/// <c>modeling_bert.py: BertForTokenClassification</c> / <c>modeling_roberta.py: RobertaForTokenClassification</c>.
/// With num_labels = 1 this is the CogLTX judge (<c>Introspector</c>: encoder → dropout → Linear(H, 1)).
/// </summary>
public sealed class TokenClassificationModel : HeadModel
{
    public TokenClassificationModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: false, HfTask.TokenClassification)
    {
        Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        Classifier = Child("classifier", new Linear(vb.Pp("classifier"), config.HiddenSize, config.NumLabels, true, (float)config.InitializerRange));
    }

    public Dropout Dropout { get; }
    public Linear Classifier { get; }

    public int NumLabels => Classifier.OutFeatures;

    /// <summary>logits (B, T, num_labels).</summary>
    public Tensor Forward(EncoderInput input) => Classifier.Forward(Dropout.Forward(Encoder.Forward(input)));

    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' loss: cross-entropy over (B·T, num_labels), labels −100 ignored.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) =>
        Ops.CrossEntropy(Ops.Reshape(logits, -1, logits.Dim(-1)), labels);

    /// <summary>
    /// The CogLTX judge loss for num_labels = 1: Σ BCEWithLogits(logit, label)·mask / Σ mask over tokens
    /// (logits (B, T, 1), labels and mask (B·T) as 0/1 floats).
    /// </summary>
    public static Tensor JudgeLoss(Tensor logits, float[] labels, float[] attentionMask)
    {
        var n = logits.Size;
        if (logits.Dim(-1) != 1) throw new ArgumentException($"JudgeLoss needs one logit per token, logits have {logits.Dim(-1)}");
        if (labels.Length != n || attentionMask.Length != n)
            throw new ArgumentException($"JudgeLoss: {n} logits, {labels.Length} labels, {attentionMask.Length} mask entries");
        return Ops.BceWithLogits(Ops.Reshape(logits, n), new Tensor(labels, n), new Tensor(attentionMask, n));
    }
}
