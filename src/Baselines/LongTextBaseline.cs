using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines;

/// <summary>
/// A way to apply a reasoner of bounded input length to long documents without CogLTX: truncation, sliding windows or
/// Longformer. Every baseline wraps a <see cref="ReasonerModel"/> (encoder + the same head class as CogLTX's reasoner:
/// <c>qa_outputs</c> or the RoBERTa classification head), so that, built from CogLTX's initial reasoner, it starts from
/// the same weights and differs only in what the model reads. Classification covers multi-label problems too (one
/// (label, document) pair per example, label name as query, spec §4).
/// </summary>
public abstract class LongTextBaseline
{
    private protected LongTextBaseline(string name, ReasonerModel model, SpecialTokens specials, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(specials);
        if (maxLength < 4) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "an input needs room for [CLS], [SEP], a token and [SEP]");
        if (maxLength > model.Encoder.MaxLength)
            throw new ArgumentException($"{name}: inputs of {maxLength} tokens exceed the encoder's {model.Encoder.MaxLength} positions");
        Name = name;
        Model = model;
        Specials = specials;
        MaxLength = maxLength;
    }

    /// <summary>Method name in reports ("head", "sliding-max", "longformer", …).</summary>
    public string Name { get; }

    /// <summary>The trained module: encoder and head.</summary>
    public ReasonerModel Model { get; }

    public ReasonerTask Task => Model.Task;

    public bool IsSpanQa => Model.Task == ReasonerTask.SpanQa;

    public SpecialTokens Specials { get; }

    /// <summary>Longest input row, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>Span decoding constants (spec §6); HotpotQA experiments set <see cref="SpanDecodingOptions.HotpotQa"/>.</summary>
    public SpanDecodingOptions Decoding { get; init; } = SpanDecodingOptions.NewsQa;

    /// <summary>The dropout stream of <see cref="Model"/> when the caller knows it (saved in checkpoints for exact resumption).</summary>
    public Rng? DropoutRng { get; init; }

    /// <summary>Mean training loss over <paramref name="batch"/>, recorded for backward. Examples must have targets.</summary>
    public abstract Tensor Loss(IReadOnlyList<BaselineExample> batch);

    /// <summary>
    /// One micro-batch as <see cref="TrainingLoop"/> runs it: by default <see cref="Loss"/>, back-propagated as one graph;
    /// a baseline whose graph grows with the documents back-propagates it in parts (<see cref="SlidingWindowBaseline"/>).
    /// </summary>
    public virtual MicroBatchLoss MicroBatch(IReadOnlyList<BaselineExample> batch) => new(Loss(batch));

    /// <summary>Predictions for <paramref name="batch"/> under no-grad, in the model's current mode (callers put it in eval mode).</summary>
    public abstract IReadOnlyList<BaselinePrediction> Predict(IReadOnlyList<BaselineExample> batch);

    /// <summary>Encoder tokens one example costs (all its rows): the price of reading it.</summary>
    public abstract int InputTokens(BaselineExample example);

    /// <summary>Document tokens one row can hold next to the query: max length − |Q| − 3 ([CLS], [SEP], [SEP]).</summary>
    protected int DocumentBudget(BaselineExample example)
    {
        var budget = MaxLength - example.QueryIds.Length - 3;
        if (budget < 1)
            throw new ArgumentException($"example {example.Id}: its query of {example.QueryIds.Length} tokens leaves no room for the document in {MaxLength} tokens");
        return budget;
    }

    /// <summary>Checks that every example can be trained on.</summary>
    protected void CheckTargets(IReadOnlyList<BaselineExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) throw new ArgumentException("an empty batch has no loss", nameof(batch));
        foreach (var e in batch)
            if (!e.HasTarget(IsSpanQa))
                throw new ArgumentException($"{Name}: example {e.Id} has no {(IsSpanQa ? "located answer" : "label")} to train on");
    }

    /// <summary>
    /// A padded reasoner batch for <paramref name="views"/> (<see cref="BatchPadding"/>: pad id = the encoder's, attention mask 0 on padding), with
    /// span targets (span QA) or labels, and an optional global-attention mask (Longformer).
    /// </summary>
    private protected ReasonerBatch MakeBatch(IReadOnlyList<InputView> views, IReadOnlyList<BaselineExample> owners, Func<InputView, int[]?>? globalAttention = null)
    {
        var b = views.Count;
        var input = BatchPadding.Pad([.. views.Select(v => new PaddingRow(v.Ids, default, globalAttention?.Invoke(v)))], Model.Encoder.PadTokenId);
        var starts = new int[b];
        var ends = new int[b];
        var labels = new int[b];
        var real = new int[b];
        for (var r = 0; r < b; r++)
        {
            var view = views[r];
            real[r] = view.Length;
            var owner = owners[r];
            if (IsSpanQa) (starts[r], ends[r]) = owner.Answer is { } a ? view.Target(a) : (0, 0);
            else labels[r] = owner.Label ?? 0;
        }
        return new ReasonerBatch(input, Model.Task, starts, ends, labels, real, []);
    }

    /// <summary>Class prediction from one row of logits: the arg-max (first on ties).</summary>
    private protected static BaselinePrediction ClassPrediction(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var c = 1; c < logits.Length; c++)
            if (logits[c] > logits[best]) best = c;
        return new BaselinePrediction(best, logits.ToArray(), null);
    }
}
