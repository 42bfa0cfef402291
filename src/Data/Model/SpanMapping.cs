using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Data;

/// <summary>
/// Character-span arithmetic and the map from character spans onto tokens, the step that turns an answer or a
/// relevant sentence into token positions (CogLTX marks the block holding the answer's first token with
/// <c>start</c> and the one holding its last token with <c>end</c>; spec §1).
/// </summary>
public static class SpanMapping
{
    /// <summary>True when the spans share at least one code unit: <c>a.Start &lt; b.End ∧ b.Start &lt; a.End</c>.</summary>
    public static bool Overlaps(this CharSpan a, CharSpan b) => a.Start < b.End && b.Start < a.End;

    /// <summary>True when <paramref name="inner"/> lies within <paramref name="outer"/>.</summary>
    public static bool Contains(this CharSpan outer, CharSpan inner) => outer.Start <= inner.Start && inner.End <= outer.End;

    /// <summary>
    /// First and last (inclusive) token whose span overlaps <paramref name="span"/>, or null when none does.
    /// Tokens with empty spans (special tokens, (0, 0)) never match; tokens are in text order.
    /// </summary>
    public static (int First, int Last)? ToTokenRange(this CharSpan span, IReadOnlyList<Token> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return ToTokenRange(span, tokens.Count, i => new CharSpan(tokens[i].Start, tokens[i].End));
    }

    /// <summary>As <see cref="ToTokenRange(CharSpan, IReadOnlyList{Token})"/> for an <see cref="Encoding"/>'s offsets.</summary>
    public static (int First, int Last)? ToTokenRange(this CharSpan span, IReadOnlyList<(int Start, int End)> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return ToTokenRange(span, offsets.Count, i => new CharSpan(offsets[i].Start, offsets[i].End));
    }

    private static (int First, int Last)? ToTokenRange(CharSpan span, int count, Func<int, CharSpan> offsetOf)
    {
        int first = -1, last = -1;
        for (var i = 0; i < count; i++)
        {
            var token = offsetOf(i);
            if (token.IsEmpty || !token.Overlaps(span)) continue;
            if (first < 0) first = i;
            last = i;
        }
        return first < 0 ? null : (first, last);
    }
}
