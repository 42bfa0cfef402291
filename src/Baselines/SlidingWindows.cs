using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines;

/// <summary>How the per-window [CLS] vectors of a sliding-window classifier become one document vector.</summary>
public enum Pooling
{
    /// <summary>Element-wise mean over windows.</summary>
    Mean,

    /// <summary>Element-wise max over windows (the paper's Alibaba sliding-window baseline, [P] Table 4).</summary>
    Max,
}

/// <summary>A window of the document: tokens [Start, Start + Length).</summary>
public readonly record struct Window(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// Sliding-window encoding (spec §7: the RoBERTa sliding-window baselines of [P] Tables 1, 2 and 4): the document is
/// cut into windows of <c>window</c> tokens whose starts are <c>stride</c> apart, as transformers' QA pipeline does with
/// <c>doc_stride</c> (consecutive windows overlap by window − stride tokens); each window is encoded with the query as
/// one 512-token input.
/// </summary>
public static class SlidingWindows
{
    /// <summary>
    /// Windows covering [0, n): starts 0, s, 2s, … up to and including the first window that reaches the end (so the
    /// last one may be shorter). An empty document gives one empty window, so every example has an input.
    /// </summary>
    public static IReadOnlyList<Window> Cover(int documentLength, int window, int stride)
    {
        if (documentLength < 0) throw new ArgumentOutOfRangeException(nameof(documentLength), documentLength, "document length must be ≥ 0");
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "window must hold at least one token");
        if (stride < 1 || stride > window)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be in [1, window = {window}] so that windows leave no gap");
        var windows = new List<Window>();
        for (var start = 0; ; start += stride)
        {
            windows.Add(new Window(start, Math.Min(window, documentLength - start)));
            if (start + window >= documentLength) return windows;
        }
    }

    /// <summary>(W, H) window vectors → (1, H) by element-wise mean or max (both differentiable).</summary>
    public static Tensor Pool(Tensor windowVectors, Pooling pooling)
    {
        ArgumentNullException.ThrowIfNull(windowVectors);
        if (windowVectors.Rank != 2 || windowVectors.Dim(0) < 1)
            throw new ArgumentException($"pooling needs (windows ≥ 1, hidden) vectors, got {Shapes.Format(windowVectors.Shape)}");
        return pooling switch
        {
            Pooling.Mean => Ops.Mean(windowVectors, 0, keepDim: true),
            Pooling.Max => Ops.Max(windowVectors, 0, keepDim: true),
            _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unknown pooling"),
        };
    }

    /// <summary>
    /// The best answer over all windows of one example: each window is decoded with top-K span decoding
    /// (<see cref="SpanDecoder"/>, spec §6) with its [CLS] position excluded, since a window without the answer points
    /// there and that is not an answer for the document (BERT's SQuAD v1 evaluation likewise scores only non-null
    /// spans across windows); the highest-scoring span wins, mapped back to document tokens. Ties keep the earlier
    /// window.
    /// </summary>
    public static SpanAnswer BestSpan(IReadOnlyList<(InputView View, float[] StartLogits, float[] EndLogits)> windows, SpanDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        var best = new SpanAnswer(AnswerKind.NotInContext, -1, -1, float.NegativeInfinity);
        foreach (var (view, startLogits, endLogits) in windows)
        {
            if (view.Layout.Length <= view.QueryLength && view.Slots.Count == 0) continue;
            var start = (float[])startLogits.Clone();
            var end = (float[])endLogits.Clone();
            start[0] = end[0] = float.NegativeInfinity;
            var span = SpanDecoder.Decode(start, end, view.Layout, options);
            if (span.Kind == AnswerKind.NotInContext || !(span.Score > best.Score)) continue;
            best = span.Kind == AnswerKind.Span
                ? new SpanAnswer(AnswerKind.Span, view.DocumentIndex[span.Start], view.DocumentIndex[span.End], span.Score)
                : new SpanAnswer(span.Kind, -1, -1, span.Score);
        }
        return best;
    }
}
