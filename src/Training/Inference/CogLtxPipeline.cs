using System.Diagnostics;
using CogLtx.Data;
using CogLtx.MemRecall;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Text.Documents;
using Polly;
using Polly.Fallback;
using Polly.Timeout;
using CogLtx.Text.Tasks;

namespace CogLtx.Training.Inference;

/// <summary>Options of the embeddable pipeline.</summary>
public sealed record PipelineOptions
{
    /// <summary>
    /// Time allowed for the full CogLTX path (MemRecall + reasoner). When it runs out, the answer is computed the cheap
    /// way (query + the first blocks that fit, no MemRecall) and the result says so. Null = no budget.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Span decoding constants; null (default): the model's, chosen from its training data (<see cref="TaskSetup.Decoding"/>).</summary>
    public SpanDecodingOptions? Decoding { get; init; }

    /// <summary>Seed of the (unused in eval mode) dropout streams created at load.</summary>
    public ulong Seed { get; init; }
}

/// <summary>A QA result: the prediction plus whether the cheaper fallback produced it, and how long it took.</summary>
public sealed record QaResult(QaPrediction Prediction, bool UsedFallback, string? FallbackReason, TimeSpan Elapsed)
{
    /// <summary>The answer text ("yes", "no" or a span of the document; empty for no answer).</summary>
    public string Answer => Prediction.Answer;

    /// <summary>Score of the answer.</summary>
    public float Score => Prediction.Score;

    /// <summary>The blocks MemRecall kept, as character spans in the document.</summary>
    public IReadOnlyList<KeyBlock> KeyBlocks => Prediction.KeyBlocks;

    /// <summary>MemRecall's steps, or null when MemRecall did not run.</summary>
    public MemRecallResult? Trace => Prediction.Trace;
}

/// <summary>
/// A classification result. Single-label: <see cref="Labels"/> holds the argmax class and <see cref="Score"/> its
/// probability. Multi-label: every label whose "has label" probability is above 0.5, <see cref="Score"/> the highest
/// probability; <see cref="PerLabel"/> holds each label query's prediction.
/// </summary>
public sealed record ClassificationResult(IReadOnlyList<string> Labels, float Score, IReadOnlyList<float> Probabilities,
    IReadOnlyList<KeyBlock> KeyBlocks, MemRecallResult? Trace, bool UsedFallback, string? FallbackReason, TimeSpan Elapsed,
    IReadOnlyList<ClassPrediction>? PerLabel = null)
{
    /// <summary>The best label ("" when none).</summary>
    public string Label => Labels.Count > 0 ? Labels[0] : "";
}

/// <summary>
/// The trained CogLTX pipeline for applications: text in, prediction + key blocks (with character spans in the
/// original text) + MemRecall trace out. Safe for concurrent calls: the models are in eval mode and never switched,
/// no-grad scopes are per thread, each call builds its own blocks. Every call is cancellable; with a
/// <see cref="PipelineOptions.TimeBudget"/> a Polly timeout guards the MemRecall path and a fallback strategy answers
/// from head truncation instead, reported in <c>UsedFallback</c> / <c>FallbackReason</c>.
/// </summary>
public sealed class CogLtxPipeline
{
    private readonly CogLtxModels models;
    private readonly CogLtxPredictor predictor;
    private readonly ExampleConverter converter;
    private readonly PipelineOptions options;

    /// <summary>A pipeline over loaded <paramref name="models"/>.</summary>
    public CogLtxPipeline(CogLtxModels models, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        this.models = models;
        this.options = options ?? new PipelineOptions();
        if (this.options.TimeBudget is { } budget && budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), budget, "the time budget must be positive (null = no budget)");
        models.Eval();
        predictor = new CogLtxPredictor(models, this.options.Decoding);
        converter = new ExampleConverter(models.Tokenizer, models.Setup, models.Options);
    }

    /// <summary>
    /// Loads a model directory (<see cref="CogLtxModels.Save"/>), or a training output folder holding
    /// <c>checkpoint/</c>, and puts the models in eval mode.
    /// </summary>
    public static CogLtxPipeline Load(string dir, PipelineOptions? options = null)
    {
        if (!File.Exists(Path.Combine(dir, CogLtxModels.ManifestFile)) && Nn.CheckpointStore.Find(dir) is { } checkpoint) dir = checkpoint;
        return new CogLtxPipeline(CogLtxModels.Load(dir, options?.Seed ?? 0), options);
    }

    /// <summary>The task the models solve.</summary>
    public TaskSetup Setup => models.Setup;

    /// <summary>Answers <paramref name="question"/> from <paramref name="document"/> (span-QA models).</summary>
    public QaResult Answer(string question, string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(document);
        if (models.Setup.Task != ReasonerTask.SpanQa) throw new InvalidOperationException($"this model solves {models.Setup.Task}; call Classify");
        var example = Convert(new LongDocExample { Id = "input", Text = document, Question = question })[0];
        return Run(
            (token, deadline) => predictor.Answer(example, useMemRecall: true, token, deadline),
            () => predictor.Answer(example, useMemRecall: false, cancellationToken),
            (p, fallback, reason, elapsed) => new QaResult(p, fallback, reason, elapsed),
            cancellationToken);
    }

    /// <summary>Classifies <paramref name="document"/> (classification and multi-label models).</summary>
    public ClassificationResult Classify(string document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (models.Setup.Task == ReasonerTask.SpanQa) throw new InvalidOperationException("this model answers questions; call Answer");
        var examples = Convert(new LongDocExample { Id = "input", Text = document });
        return Run(
            (token, deadline) => predictor.ClassifyMany(examples, useMemRecall: true, token, deadline),
            () => predictor.ClassifyMany(examples, useMemRecall: false, cancellationToken),
            ToClassification,
            cancellationToken);
    }

    private ClassificationResult ToClassification(IReadOnlyList<ClassPrediction> predictions, bool fallback, string? reason, TimeSpan elapsed)
    {
        var names = models.Setup.LabelNames;
        if (models.Setup.Task == ReasonerTask.Classification)
        {
            var p = predictions[0];
            return new ClassificationResult([names[p.LabelId]], p.Probability, p.Probabilities, p.KeyBlocks, p.Trace, fallback, reason, elapsed);
        }
        var positive = predictions.Select((p, i) => (Label: names[i], P: p.Probabilities[1], Prediction: p)).ToList();
        var chosen = positive.Where(x => x.P > 0.5f).OrderByDescending(x => x.P).ToList();
        var top = positive.MaxBy(x => x.P);
        return new ClassificationResult([.. chosen.Select(x => x.Label)], top.P, [.. positive.Select(x => x.P)],
            top.Prediction.KeyBlocks, top.Prediction.Trace, fallback, reason, elapsed, predictions);
    }

    private IReadOnlyList<CogLtxExample> Convert(LongDocExample example)
    {
        var converted = converter.Convert(example, new BlockIdCounter());
        if (converted.All(e => e.Blocks.DocumentBlocks.Count == 0)) throw new ArgumentException("the document is empty (no tokens)", nameof(example));
        return converted;
    }

    // The primary path gets Polly's timeout token and a Stopwatch deadline: the token cancels when the timer fires, the
    // deadline is checked at every judge call, so the budget holds even when a busy thread pool delays the timer.
    private TResult Run<TPrediction, TResult>(Func<CancellationToken, long?, TPrediction> primary, Func<TPrediction> fallback,
        Func<TPrediction, bool, string?, TimeSpan, TResult> wrap, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (options.TimeBudget is not { } budget)
            return wrap(primary(cancellationToken, null), false, null, clock.Elapsed);
        var deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        string? reason = null;
        var resilience = new ResiliencePipelineBuilder<TPrediction>()
            .AddFallback(new FallbackStrategyOptions<TPrediction>
            {
                ShouldHandle = new PredicateBuilder<TPrediction>().Handle<TimeoutRejectedException>().Handle<TimeoutException>(),
                FallbackAction = _ =>
                {
                    reason = $"time budget of {budget.TotalMilliseconds:0.#} ms ran out during MemRecall; answered from the first " +
                             $"{models.Options.Capacity} tokens (head truncation) instead";
                    return Outcome.FromResultAsValueTask(fallback());
                },
            })
            // A generator rather than TimeoutStrategyOptions.Timeout, whose validation rejects budgets under 10 ms.
            .AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = _ => ValueTask.FromResult(budget) })
            .Build();
        var prediction = resilience.Execute(token => primary(token, deadline), cancellationToken);
        return wrap(prediction, reason is not null, reason, clock.Elapsed);
    }
}
