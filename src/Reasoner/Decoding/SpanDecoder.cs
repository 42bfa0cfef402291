using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Decoding;

/// <summary>A length penalty: added to a pair's score when end − start &gt; <see cref="LongerThan"/>.</summary>
public readonly record struct LengthPenalty(int LongerThan, float Penalty);

/// <summary>
/// Span decoding constants (spec §6): the top-K starts × top-K ends are scored as start + end logit + penalty.
/// <see cref="LengthPenalties"/> are tried in order and the first that applies is used (the reference's if/elif chain,
/// so a 25-token HotpotQA span gets −20, not −25).
/// </summary>
public sealed record SpanDecodingOptions
{
    /// <summary>Number of best start and best end positions combined into candidate spans.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Penalty for end &lt; start, and for pairs that are not well formed (see <see cref="SpanDecoder"/>).</summary>
    public float InvalidPenalty { get; init; } = -100000f;

    /// <summary>Score penalties for spans longer than given lengths.</summary>
    public IReadOnlyList<LengthPenalty> LengthPenalties { get; init; } = [new(80, -20f)];

    /// <summary>NewsQA (run_newsqa.py): −20 beyond 80 tokens.</summary>
    public static SpanDecodingOptions NewsQa { get; } = new();

    /// <summary>HotpotQA (run_hotpotqa.py): −20 beyond 20 tokens, else −5 beyond 8.</summary>
    public static SpanDecodingOptions HotpotQa { get; } = new() { LengthPenalties = [new(20, -20f), new(8, -5f)] };
}

/// <summary>
/// Where the answer may lie in one z+ = [query blocks][document blocks]: the query occupies positions
/// [0, <see cref="QueryLength"/>); <see cref="Slots"/> maps query positions to yes / no / no-answer; position 0 is
/// "not in z"; <see cref="Length"/> is the number of real (unpadded) positions.
/// </summary>
public sealed record SpanLayout(int Length, int QueryLength, IReadOnlyDictionary<int, AnswerKind> Slots)
{
    /// <summary>No answer-kind slots: every answer is a span.</summary>
    public static IReadOnlyDictionary<int, AnswerKind> NoSlots { get; } = new Dictionary<int, AnswerKind>();
}

/// <summary>A decoded answer: token positions [Start, End] (inclusive, in z+), the pair score and its meaning.</summary>
public readonly record struct SpanPrediction(int Start, int End, float Score, AnswerKind Kind);

/// <summary>
/// Top-K span decoding (spec §6; run_newsqa.py / run_hotpotqa.py <c>logits2span</c>).
/// Deliberate deviation (spec §9.12): a pair is well formed only if it is (0, 0) (not in z), (s, s) on a query slot,
/// or lies wholly inside the document part with start ≤ end; other pairs (a span crossing from the query into the
/// document, a span over query words, (0, e &gt; 0)) can never match a gold answer, so they get
/// <see cref="SpanDecodingOptions.InvalidPenalty"/> like reversed spans instead of decoding to "&lt;s&gt; yes no …".
/// </summary>
public static class SpanDecoder
{
    /// <summary>The best answer for one input's start and end logits, under <paramref name="layout"/> and <paramref name="options"/>.</summary>
    public static SpanPrediction Decode(ReadOnlySpan<float> startLogits, ReadOnlySpan<float> endLogits, SpanLayout layout, SpanDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        if (layout.Length <= 0 || layout.Length > startLogits.Length || layout.Length > endLogits.Length)
            throw new ArgumentException($"span layout of {layout.Length} positions for {startLogits.Length} start and {endLogits.Length} end logits");
        if (layout.QueryLength < 1 || layout.QueryLength > layout.Length)
            throw new ArgumentException($"query length {layout.QueryLength} outside [1, {layout.Length}]");
        var starts = TopK(startLogits[..layout.Length], options.TopK);
        var ends = TopK(endLogits[..layout.Length], options.TopK);
        var best = new SpanPrediction(0, 0, float.NegativeInfinity, AnswerKind.NotInContext);
        foreach (var s in starts)
        {
            foreach (var e in ends)
            {
                var score = startLogits[s] + endLogits[e] + Penalty(s, e, layout, options);
                // Strictly greater: ties keep the earlier pair in (start rank, end rank) order, as a stable sort would.
                if (score > best.Score) best = new SpanPrediction(s, e, score, Classify(s, e, layout));
            }
        }
        return best;
    }

    /// <summary>The penalty added to a (start, end) pair.</summary>
    public static float Penalty(int start, int end, SpanLayout layout, SpanDecodingOptions options)
    {
        if (end < start || !IsWellFormed(start, end, layout)) return options.InvalidPenalty;
        foreach (var p in options.LengthPenalties)
            if (end - start > p.LongerThan) return p.Penalty;
        return 0f;
    }

    private static bool IsWellFormed(int start, int end, SpanLayout layout)
    {
        if (start == 0) return end == 0;
        if (start < layout.QueryLength) return end == start && layout.Slots.ContainsKey(start);
        return end >= start;
    }

    private static AnswerKind Classify(int start, int end, SpanLayout layout)
    {
        if (start == 0 || end == 0) return AnswerKind.NotInContext;
        if (start < layout.QueryLength)
            return layout.Slots.TryGetValue(start, out var kind) ? kind : AnswerKind.NotInContext;
        return AnswerKind.Span;
    }

    /// <summary>Indices of the <paramref name="k"/> largest values, largest first; ties broken by the lower index.</summary>
    internal static int[] TopK(ReadOnlySpan<float> values, int k)
    {
        var n = Math.Min(k, values.Length);
        var idx = new int[values.Length];
        for (var i = 0; i < idx.Length; i++) idx[i] = i;
        var copy = values.ToArray();
        Array.Sort(idx, (a, b) =>
        {
            var c = copy[b].CompareTo(copy[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return idx[..n];
    }
}
