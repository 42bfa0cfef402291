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
    /// <summary>Loads or creates the encoder and <c>classifier</c> under <paramref name="vb"/>.</summary>
    public TokenClassificationModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: false, HfTask.TokenClassification)
    {
        Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        Classifier = Child("classifier", new Linear(vb.Pp("classifier"), config.HiddenSize, config.NumLabels, true, (float)config.InitializerRange));
    }

    /// <summary>The head over <paramref name="encoder"/> (no pooler); <c>classifier</c> from <paramref name="vb"/> (root builder).</summary>
    public TokenClassificationModel(BertConfig config, EncoderModel encoder, VarBuilder vb, Rng rng)
        : base(config, encoder, rng, HfTask.TokenClassification)
    {
        Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        Classifier = Child("classifier", new Linear(vb.Pp("classifier"), config.HiddenSize, config.NumLabels, true, (float)config.InitializerRange));
    }

    /// <summary>Dropout before the classifier.</summary>
    public Dropout Dropout { get; }
    /// <summary><c>classifier</c> (num_labels, H).</summary>
    public Linear Classifier { get; }

    /// <summary>Number of labels per token (<c>num_labels</c>).</summary>
    public int NumLabels => Classifier.OutFeatures;

    /// <summary>logits (B, T, num_labels).</summary>
    public Tensor Forward(EncoderInput input) => Classifier.Forward(Dropout.Forward(Encoder.Forward(input)));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' loss: cross-entropy over (B·T, num_labels), labels −100 ignored.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) =>
        Ops.CrossEntropy(Ops.Reshape(logits, -1, logits.Dim(-1)), labels);

    /// <summary>
    /// Masked binary loss for num_labels = 1 (the CogLTX judge, models.py <c>Introspector.forward</c>):
    /// Σ BCEWithLogits(logit, label)·mask / Σ mask over tokens; <paramref name="logits"/> holds one logit per token in
    /// any shape ((B, T) or (B, T, 1)), <paramref name="labels"/> and <paramref name="mask"/> as many 0/1 floats.
    /// </summary>
    public static Tensor BinaryLoss(Tensor logits, float[] labels, float[] mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var n = logits.Size;
        if (logits.Rank == 3 && logits.Dim(-1) != 1) throw new ArgumentException($"the binary token loss needs one logit per token, logits have {logits.Dim(-1)}");
        if (labels.Length != n || mask.Length != n)
            throw new ArgumentException($"binary token loss: {n} logits, {labels.Length} labels, {mask.Length} mask entries");
        var sum = 0f;
        foreach (var m in mask) sum += m;
        if (sum <= 0) throw new ArgumentException("binary token loss: the mask selects no token (the mean over zero tokens is undefined)");
        return Ops.BceWithLogits(Ops.Reshape(logits, n), new Tensor(labels, n), new Tensor(mask, n));
    }
}
