namespace CogLtx.Baselines;

/// <summary>Which part of an over-long document a truncation baseline keeps.</summary>
public enum TruncationKind
{
    /// <summary>The first tokens (what BERT does by default with max_length).</summary>
    Head,

    /// <summary>The last tokens.</summary>
    Tail,

    /// <summary>
    /// The first <see cref="Truncation.HeadTokens"/> and the remaining budget from the end (Sun et al. 2019, "How to
    /// Fine-Tune BERT for Text Classification?": head 128 + tail 382 was their best setting).
    /// </summary>
    HeadTail,
}

/// <summary>
/// Truncation: the document tokens one 512-token input keeps. A document that fits the budget is kept whole;
/// otherwise <see cref="Select"/> picks the head, the tail, or head + tail, always in document order.
/// </summary>
public sealed record Truncation(TruncationKind Kind, int HeadTokens = 128)
{
    /// <summary>
    /// Indices of the kept document tokens, increasing: all of [0, n) when n ≤ budget; else [0, budget) (head),
    /// [n − budget, n) (tail), or [0, h) ∪ [n − (budget − h), n) with h = min(<see cref="HeadTokens"/>, budget).
    /// </summary>
    public int[] Select(int documentLength, int budget)
    {
        if (documentLength < 0) throw new ArgumentOutOfRangeException(nameof(documentLength), documentLength, "document length must be ≥ 0");
        if (budget < 0) throw new ArgumentOutOfRangeException(nameof(budget), budget, "token budget must be ≥ 0");
        if (HeadTokens < 0) throw new InvalidOperationException($"head tokens must be ≥ 0, got {HeadTokens}");
        if (documentLength <= budget) return Range(0, documentLength);
        return Kind switch
        {
            TruncationKind.Head => Range(0, budget),
            TruncationKind.Tail => Range(documentLength - budget, budget),
            TruncationKind.HeadTail => HeadAndTail(documentLength, budget, Math.Min(HeadTokens, budget)),
            _ => throw new InvalidOperationException($"unknown truncation kind {Kind}"),
        };
    }

    private static int[] HeadAndTail(int n, int budget, int head)
    {
        var tail = budget - head;
        return [.. Enumerable.Range(0, head), .. Enumerable.Range(n - tail, tail)];
    }

    private static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];
}
