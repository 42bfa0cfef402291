using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// One label per sequence. BERT (transformers <c>modeling_bert.py: BertForSequenceClassification</c>):
/// pooler_output → dropout → <c>classifier</c> Linear(H, num_labels). RoBERTa and Longformer
/// (<c>modeling_roberta.py: RobertaForSequenceClassification</c>): no pooler; a <see cref="ClassificationHead"/>
/// on the first-token vector.
/// </summary>
public sealed class SequenceClassificationModel : HeadModel
{
    public SequenceClassificationModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: config.ModelType == "bert", HfTask.SequenceClassification)
    {
        if (Encoder.HasPooler)
        {
            Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
            Classifier = Child("classifier", new Linear(vb.Pp("classifier"), config.HiddenSize, config.NumLabels, true, (float)config.InitializerRange));
        }
        else
        {
            Head = Child("classifier", new ClassificationHead(config, vb.Pp("classifier"), rng));
        }
    }

    /// <summary>BERT only: dropout before <see cref="Classifier"/>.</summary>
    public Dropout? Dropout { get; }

    /// <summary>BERT only: <c>classifier</c>.</summary>
    public Linear? Classifier { get; }

    /// <summary>RoBERTa/Longformer only: <c>classifier.dense</c> + <c>classifier.out_proj</c>.</summary>
    public ClassificationHead? Head { get; }

    public int NumLabels => Classifier?.OutFeatures ?? Head!.OutProj.OutFeatures;

    /// <summary>logits (B, num_labels).</summary>
    public Tensor Forward(EncoderInput input)
    {
        var output = Encoder.Encode(input);
        return Head is not null
            ? Head.Forward(output.LastHiddenState)
            : Classifier!.Forward(Dropout!.Forward(output.PoolerOutput!));
    }

    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' single_label_classification loss: mean cross-entropy.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) => Ops.CrossEntropy(logits, labels);

    /// <summary>transformers' multi_label_classification loss: mean BCE-with-logits against 0/1 targets (B, num_labels).</summary>
    public static Tensor MultiLabelLoss(Tensor logits, Tensor targets) => Ops.BceWithLogits(logits, targets);
}

/// <summary>
/// h[:, 0] → dropout → <c>dense</c> → tanh → dropout → <c>out_proj</c>. Ports transformers
/// <c>modeling_roberta.py: RobertaClassificationHead</c> (= <c>LongformerClassificationHead</c>; the CogLTX
/// classification reasoner).
/// </summary>
public sealed class ClassificationHead : Module
{
    public ClassificationHead(BertConfig config, VarBuilder vb, Rng rng)
    {
        var std = (float)config.InitializerRange;
        Dense = Child("dense", new Linear(vb.Pp("dense"), config.HiddenSize, config.HiddenSize, true, std));
        Dropout = Child("dropout", new Dropout((float)config.ClassifierDropoutOrHidden, rng));
        OutProj = Child("out_proj", new Linear(vb.Pp("out_proj"), config.HiddenSize, config.NumLabels, true, std));
    }

    public Linear Dense { get; }
    public Dropout Dropout { get; }
    public Linear OutProj { get; }

    /// <summary>(B, T, H) → logits (B, num_labels).</summary>
    public Tensor Forward(Tensor hidden)
    {
        var x = Dropout.Forward(BertPooler.FirstToken(hidden));
        x = Dropout.Forward(Ops.Tanh(Dense.Forward(x)));
        return OutProj.Forward(x);
    }
}
