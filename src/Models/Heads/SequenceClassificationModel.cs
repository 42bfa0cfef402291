using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// One label per sequence. BERT (transformers <c>modeling_bert.py: BertForSequenceClassification</c>):
/// pooler (<c>bert.pooler.dense</c> + tanh on [CLS]) → dropout → <c>classifier</c> Linear(H, num_labels). RoBERTa and
/// Longformer (<c>modeling_roberta.py: RobertaForSequenceClassification</c>,
/// <c>modeling_longformer.py: LongformerForSequenceClassification</c>): no pooler; a <see cref="ClassificationHead"/>
/// (<c>classifier.dense</c>, <c>classifier.out_proj</c>) on the first-token vector. Which one follows model_type, as in
/// transformers. Also the CogLTX classification reasoner's head (spec §4, §10: the reference used RoBERTa's).
/// </summary>
public sealed class SequenceClassificationModel : HeadModel
{
    /// <summary>Loads or creates the encoder and the classification head under <paramref name="vb"/>.</summary>
    public SequenceClassificationModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: UsesPooler(config.ModelType), HfTask.SequenceClassification) =>
        (Dropout, Classifier, Head) = BuildHead(config, vb, rng);

    /// <summary>
    /// The head over <paramref name="encoder"/>, which must have a pooler exactly when <see cref="UsesPooler"/> (BERT);
    /// head tensors from <paramref name="vb"/> (root builder).
    /// </summary>
    public SequenceClassificationModel(BertConfig config, EncoderModel encoder, VarBuilder vb, Rng rng)
        : base(config, encoder, rng, HfTask.SequenceClassification) =>
        (Dropout, Classifier, Head) = BuildHead(config, vb, rng);

    /// <summary>True for BERT, whose classifier reads pooler_output; false for RoBERTa and Longformer (no pooler).</summary>
    public static bool UsesPooler(string modelType) => modelType == "bert";

    /// <summary>BERT only: dropout before <see cref="Classifier"/>.</summary>
    public Dropout? Dropout { get; }

    /// <summary>BERT only: <c>classifier</c>.</summary>
    public Linear? Classifier { get; }

    /// <summary>RoBERTa/Longformer only: <c>classifier.dense</c> + <c>classifier.out_proj</c>.</summary>
    public ClassificationHead? Head { get; }

    /// <summary>Number of classes (<c>num_labels</c>).</summary>
    public int NumLabels => Classifier?.OutFeatures ?? Head!.OutProj.OutFeatures;

    /// <summary>logits (B, num_labels).</summary>
    public Tensor Forward(EncoderInput input) => Classify(Encoder.Forward(input));

    /// <summary>
    /// The head alone on hidden states (B, T, H) → logits (B, num_labels), reading the first token: BERT's pooler
    /// (dense + tanh) → dropout → classifier, or <see cref="ClassificationHead"/>.
    /// </summary>
    public Tensor Classify(Tensor hidden) =>
        Head is not null ? Head.Forward(hidden) : Classifier!.Forward(Dropout!.Forward(Pooler.Forward(hidden)));

    private BertPooler Pooler => (Encoder switch
    {
        BertFamilyModel bert => bert.Pooler,
        Longformer.LongformerModel longformer => longformer.Pooler,
        _ => null,
    }) ?? throw new InvalidOperationException($"{Architecture}: the encoder has no pooler");

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' single_label_classification loss: mean cross-entropy.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) => Ops.CrossEntropy(logits, labels);

    /// <summary>transformers' multi_label_classification loss: mean BCE-with-logits against 0/1 targets (B, num_labels).</summary>
    public static Tensor MultiLabelLoss(Tensor logits, Tensor targets) => Ops.BceWithLogits(logits, targets);

    private (Dropout?, Linear?, ClassificationHead?) BuildHead(BertConfig config, VarBuilder vb, Rng rng)
    {
        if (config.NumLabels < 1) throw new ArgumentOutOfRangeException(nameof(config), config.NumLabels, "a classification head needs at least one label");
        if (!UsesPooler(config.ModelType)) return (null, null, Child("classifier", new ClassificationHead(config, vb.Pp("classifier"), rng)));
        if (!Encoder.HasPooler)
            throw new ArgumentException($"{Architecture} reads pooler_output; its {Encoder.Architecture} encoder was built without a pooler (pooler.dense)");
        var dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        var classifier = Child("classifier", new Linear(vb.Pp("classifier"), config.HiddenSize, config.NumLabels, true, (float)config.InitializerRange));
        return (dropout, classifier, null);
    }
}

/// <summary>
/// h[:, 0] → dropout → <c>dense</c> → tanh → dropout → <c>out_proj</c>. Ports transformers
/// <c>modeling_roberta.py: RobertaClassificationHead</c> (= <c>LongformerClassificationHead</c>; the CogLTX
/// classification reasoner).
/// </summary>
public sealed class ClassificationHead : Module
{
    /// <summary>Loads or creates <c>classifier.dense</c> and <c>classifier.out_proj</c> under <paramref name="vb"/>.</summary>
    public ClassificationHead(BertConfig config, VarBuilder vb, Rng rng)
    {
        var std = (float)config.InitializerRange;
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.HiddenSize, config.HiddenSize, true, std));
        Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        OutProj = Child("out_proj", new Linear(vb.Pp("out_proj"), config.HiddenSize, config.NumLabels, true, std));
    }

    /// <summary><c>dense</c> (H, H), followed by tanh.</summary>
    public Linear Dense { get; }
    /// <summary>Dropout before <c>dense</c> and before <c>out_proj</c>.</summary>
    public Dropout Dropout { get; }
    /// <summary><c>out_proj</c> (num_labels, H).</summary>
    public Linear OutProj { get; }

    /// <summary>(B, T, H) → logits (B, num_labels).</summary>
    public Tensor Forward(Tensor hidden)
    {
        var x = Dropout.Forward(BertPooler.FirstToken(hidden));
        x = Dropout.Forward(Ops.Tanh(Dense.Forward(x)));
        return OutProj.Forward(x);
    }
}
