using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Reasoner;

/// <summary>Raw reasoner outputs: span logits (B, T) for span QA, class logits (B, C) otherwise.</summary>
public sealed record ReasonerOutput(Tensor? StartLogits, Tensor? EndLogits, Tensor? Logits);

/// <summary>
/// The reasoner (spec §4): an encoder plus one task head, trained on z+ only. Keys follow the Hugging Face head
/// classes: <c>{prefix}.*</c> + <c>qa_outputs.*</c> (<c>RobertaForQuestionAnswering</c>) or <c>classifier.dense.*</c> +
/// <c>classifier.out_proj.*</c> (<c>RobertaForSequenceClassification</c>).
/// Multi-label ([P] §4.4): a two-way classification head (not / has the label) shared by all labels; the label is the
/// query. Two-way softmax rather than one sigmoid so that every task has a per-sample cross-entropy (what the
/// interventions compare) and an HF-loadable <c>num_labels=2</c> head.
/// </summary>
public sealed class ReasonerModel : Module
{
    /// <summary>Added to the logits of padding positions so the span loss and decoding ignore them.</summary>
    private const float PaddingLogit = -1e9f;

    /// <param name="encoder">The encoder; its parameters are saved under its config's <c>base_model_prefix</c>.</param>
    /// <param name="numLabels">Classes for <see cref="ReasonerTask.Classification"/>; ignored otherwise.</param>
    /// <param name="rng">Draws the classification head's dropout masks.</param>
    public ReasonerModel(EncoderModel encoder, ReasonerTask task, int numLabels, VarBuilder vb, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vb);
        Encoder = encoder;
        Task = task;
        Child(encoder.Config.BaseModelPrefix, encoder);
        var std = (float)encoder.Config.InitializerRange;
        switch (task)
        {
            case ReasonerTask.SpanQa:
                SpanHead = new SpanQaHead(vb, encoder.HiddenSize, std);
                Child("qa_outputs", SpanHead.QaOutputs);
                break;
            case ReasonerTask.Classification:
            case ReasonerTask.MultiLabel:
                var labels = task == ReasonerTask.MultiLabel ? 2 : numLabels;
                // RobertaClassificationHead: classifier_dropout if set, else hidden_dropout_prob (0.1 for roberta-base).
                var dropout = (float)encoder.Config.ClassifierDropoutOrHidden;
                ClassificationHead = Child("classifier", new ClassificationHead(vb.Pp("classifier"), encoder.HiddenSize, labels, dropout, rng, std));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "unknown reasoner task");
        }
    }

    /// <summary>A reasoner for <paramref name="config"/>: encoder from <c>{prefix}.*</c> (no pooler), head at the root.</summary>
    public static ReasonerModel Create(BertConfig config, ReasonerTask task, int numLabels, VarBuilder vb, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        var encoder = EncoderFactory.CreateEncoder(config, vb.Pp(config.BaseModelPrefix), rng, addPoolingLayer: false);
        return new ReasonerModel(encoder, task, numLabels, vb, rng);
    }

    public EncoderModel Encoder { get; }

    public ReasonerTask Task { get; }

    public SpanQaHead? SpanHead { get; }

    public ClassificationHead? ClassificationHead { get; }

    /// <summary>transformers class whose checkpoint layout this model shares.</summary>
    public string Architecture => EncoderFactory.ArchitectureName(Encoder.Config.ModelType,
        Task == ReasonerTask.SpanQa ? HfTask.QuestionAnswering : HfTask.SequenceClassification);

    /// <summary>The encoder's config with this head's <c>num_labels</c> (2 for span QA, as transformers writes it).</summary>
    public BertConfig Config => Encoder.Config with { NumLabelsField = Task == ReasonerTask.SpanQa ? 2 : NumLabels, Id2Label = null, Label2Id = null };

    /// <summary>Number of output classes (2 for multi-label, 0 for span QA).</summary>
    public int NumLabels => ClassificationHead?.NumLabels ?? 0;

    /// <summary>Forward over a batch. Span logits at padding positions are pushed to −10⁹.</summary>
    public ReasonerOutput Forward(ReasonerBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var hidden = Encoder.Forward(batch.Input);                      // (B, T, H)
        if (SpanHead is not null)
        {
            var (start, end) = SpanHead.Forward(hidden);
            var pad = PaddingMask(batch);
            return new ReasonerOutput(pad is null ? start : Ops.Add(start, pad), pad is null ? end : Ops.Add(end, pad), null);
        }
        return new ReasonerOutput(null, null, ClassificationHead!.Forward(hidden));
    }

    /// <summary>
    /// Per-sample loss (B): span QA (CE(start) + CE(end)) / 2 over the row's positions (models.py <c>QAReasoner</c>;
    /// targets are always inside the row, so no index is ignored); classification CE over the classes.
    /// Deliberate deviation: the reference takes the span softmax over all 512 padded positions; padding is excluded
    /// here, so the loss does not depend on how far a batch is padded.
    /// </summary>
    public static Tensor PerSampleLoss(ReasonerOutput output, ReasonerBatch batch)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Task == ReasonerTask.SpanQa)
        {
            var start = Ops.CrossEntropyPerRow(output.StartLogits ?? throw new ArgumentException("span-QA loss needs start logits"), batch.StartTargets);
            var end = Ops.CrossEntropyPerRow(output.EndLogits ?? throw new ArgumentException("span-QA loss needs end logits"), batch.EndTargets);
            return Ops.Scale(Ops.Add(start, end), 0.5f);
        }
        return Ops.CrossEntropyPerRow(output.Logits ?? throw new ArgumentException("classification loss needs class logits"), batch.Labels);
    }

    /// <summary>Batch loss: the mean of the per-sample losses.</summary>
    public static Tensor Loss(ReasonerOutput output, ReasonerBatch batch) => Ops.Mean(PerSampleLoss(output, batch));

    /// <summary>(B, T) additive mask: 0 on block tokens, −10⁹ on padding; null when no row is padded.</summary>
    private static Tensor? PaddingMask(ReasonerBatch batch)
    {
        int b = batch.Input.Batch, t = batch.Input.Length;
        if (batch.RealLengths.All(r => r == t)) return null;
        var mask = new float[b * t];
        for (var i = 0; i < b; i++)
            Array.Fill(mask, PaddingLogit, i * t + batch.RealLengths[i], t - batch.RealLengths[i]);
        return new Tensor(mask, b, t);
    }
}
