using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner;

/// <summary>Raw reasoner outputs: span logits (B, T) for span QA, class logits (B, C) otherwise.</summary>
public sealed record ReasonerOutput(Tensor? StartLogits, Tensor? EndLogits, Tensor? Logits);

/// <summary>
/// The reasoner (spec §4): an encoder plus one task head, trained on z+ only. It is a Hugging Face head model, saved
/// and loaded in that class's layout: span QA is <see cref="QuestionAnsweringModel"/> (<c>XxxForQuestionAnswering</c>:
/// <c>{prefix}.*</c> + <c>qa_outputs.*</c>); classification and multi-label are <see cref="SequenceClassificationModel"/>
/// (<c>XxxForSequenceClassification</c>: for BERT <c>bert.pooler.dense.*</c> + <c>classifier.*</c>, for RoBERTa and
/// Longformer <c>classifier.dense.*</c> + <c>classifier.out_proj.*</c>).
/// Multi-label ([P] §4.4): a two-way classification head (not / has the label) shared by all labels; the label is the
/// query. Two-way softmax rather than one sigmoid so that every task has a per-sample cross-entropy (what the
/// interventions compare) and an HF-loadable <c>num_labels=2</c> head.
/// </summary>
public sealed class ReasonerModel : Module
{
    /// <summary>Added to the logits of padding positions so the span loss and decoding ignore them.</summary>
    private const float PaddingLogit = -1e9f;

    /// <param name="encoder">The encoder; its parameters are saved under its config's <c>base_model_prefix</c>. For a
    /// BERT classification reasoner it must have a pooler (<see cref="EncoderNeedsPooler"/>).</param>
    /// <param name="numLabels">Classes for <see cref="ReasonerTask.Classification"/>; ignored otherwise.</param>
    /// <param name="vb">Root builder of the reasoner checkpoint; the head is read from it (or initialised).</param>
    /// <param name="rng">Draws the classification head's dropout masks.</param>
    /// <param name="labelNames">Class names written to config.json as id2label / label2id (classification only);
    /// null keeps transformers' LABEL_i.</param>
    public ReasonerModel(EncoderModel encoder, ReasonerTask task, int numLabels, VarBuilder vb, Rng rng, IReadOnlyList<string>? labelNames = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vb);
        Encoder = encoder;
        Task = task;
        var config = HeadConfig(encoder.Config, task, numLabels, labelNames);
        Head = task switch
        {
            ReasonerTask.SpanQa => Child("", new QuestionAnsweringModel(config, encoder, vb, rng)),
            ReasonerTask.Classification or ReasonerTask.MultiLabel => Child("", new SequenceClassificationModel(config, encoder, vb, rng)),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown reasoner task"),
        };
    }

    /// <summary>
    /// A reasoner for <paramref name="config"/>: encoder from <c>{prefix}.*</c> (with a pooler only for a BERT
    /// classification head), head at the root.
    /// </summary>
    public static ReasonerModel Create(BertConfig config, ReasonerTask task, int numLabels, VarBuilder vb, Rng rng, IReadOnlyList<string>? labelNames = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var encoder = EncoderFactory.CreateEncoder(config, vb.Pp(config.BaseModelPrefix), rng, EncoderNeedsPooler(config.ModelType, task));
        return new ReasonerModel(encoder, task, numLabels, vb, rng, labelNames);
    }

    /// <summary>True when the head reads pooler_output: a BERT classification or multi-label reasoner.</summary>
    public static bool EncoderNeedsPooler(string modelType, ReasonerTask task) =>
        task != ReasonerTask.SpanQa && SequenceClassificationModel.UsesPooler(modelType);

    /// <summary>The reasoner's encoder.</summary>
    public EncoderModel Encoder { get; }

    /// <summary>The task of the reasoner's head.</summary>
    public ReasonerTask Task { get; }

    /// <summary>The Hugging Face head model this reasoner is (its parameters are the reasoner's).</summary>
    public HeadModel Head { get; }

    /// <summary>transformers class whose checkpoint layout this model shares.</summary>
    public string Architecture => Head.Architecture;

    /// <summary>The config saved next to the weights: the encoder's with this head's labels (2 for span QA, as transformers writes it).</summary>
    public BertConfig Config => Head.Config;

    /// <summary>Number of output classes (2 for multi-label, 0 for span QA).</summary>
    public int NumLabels => (Head as SequenceClassificationModel)?.NumLabels ?? 0;

    /// <summary>The classification head alone on hidden states (B, T, H) → logits (B, C), reading the first token.</summary>
    public Tensor Classify(Tensor hidden) =>
        (Head as SequenceClassificationModel ?? throw new InvalidOperationException("a span-QA reasoner has no classification head")).Classify(hidden);

    /// <summary>Forward over a batch. Span logits at padding positions are pushed to −10⁹.</summary>
    public ReasonerOutput Forward(ReasonerBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Forward(batch, Encoder.Forward(batch.Input));
    }

    /// <summary>The head on <paramref name="hidden"/> (B, T, H), the encoder's output for <paramref name="batch"/>'s input.</summary>
    public ReasonerOutput Forward(ReasonerBatch batch, Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(hidden);
        if (Head is QuestionAnsweringModel qa)
        {
            var (start, end) = qa.Span(hidden);
            var pad = PaddingMask(batch);
            return new ReasonerOutput(pad is null ? start : Ops.Add(start, pad), pad is null ? end : Ops.Add(end, pad), null);
        }
        return new ReasonerOutput(null, null, Classify(hidden));
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

    private static BertConfig HeadConfig(BertConfig encoder, ReasonerTask task, int numLabels, IReadOnlyList<string>? labelNames)
    {
        var labels = task switch { ReasonerTask.SpanQa => 2, ReasonerTask.MultiLabel => 2, _ => numLabels };
        if (labels < 1) throw new ArgumentOutOfRangeException(nameof(numLabels), numLabels, "a classification head needs at least one label");
        var names = task == ReasonerTask.Classification && labelNames is { Count: > 0 } ? labelNames
            : task == ReasonerTask.MultiLabel ? ["no", "yes"] : null;
        if (names is not null && names.Count != labels)
            throw new ArgumentException($"{names.Count} label names for a head of {labels} labels", nameof(labelNames));
        if (names is not null && names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"label names are not distinct: {string.Join(", ", names)}", nameof(labelNames));
        return encoder with
        {
            NumLabelsField = labels,
            Id2Label = names?.Select((n, i) => (n, i)).ToDictionary(p => p.i.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.n),
            Label2Id = names?.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i),
            Architectures = null,
        };
    }
}
