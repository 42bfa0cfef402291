using System.Buffers;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// A token matched in the text before the model runs (Hugging Face <c>AddedToken</c>,
/// <c>tokenizers/src/tokenizer/added_vocabulary.rs</c>). <see cref="Normalized"/> false: matched in the raw text,
/// case-sensitively; true: matched against the normalized text, with the normalizer applied to
/// <see cref="Content"/> too. <see cref="LStrip"/>/<see cref="RStrip"/> absorb the white space on that side into the
/// token; <see cref="SingleWord"/> rejects matches inside a word. <see cref="Special"/> tokens are dropped by Decode.
/// </summary>
public sealed record AddedToken(
    int Id, string Content, bool Special = true, bool SingleWord = false, bool LStrip = false, bool RStrip = false,
    bool Normalized = false);

/// <summary>One match: the span [Start, End) in the searched text (white space absorbed by lstrip/rstrip included).</summary>
internal readonly record struct AddedTokenMatch(int Start, int End, AddedToken Token);

/// <summary>
/// Finds added tokens in a text: leftmost-longest, non-overlapping, as the <c>aho_corasick</c> automaton with
/// <c>MatchKind::LeftmostLongest</c> does in <c>AddedVocabulary::find_matches</c>. Only a handful of tokens are ever
/// added, so candidates are found with a vectorised search for their first characters and checked directly.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly (string Pattern, AddedToken Token)[] patterns;
    private readonly SearchValues<char> firstChars;

    /// <param name="tokens">The tokens, each with the exact string to look for (its content, or its normalized content).</param>
    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> tokens)
    {
        patterns = tokens.Where(t => t.Pattern.Length > 0)
            .DistinctBy(t => t.Pattern, StringComparer.Ordinal)
            .OrderByDescending(t => t.Pattern.Length)
            .ToArray();
        firstChars = SearchValues.Create(patterns.Select(t => t.Pattern[0]).Distinct().ToArray());
    }

    public bool IsEmpty => patterns.Length == 0;

    /// <summary>Appends the matches in <paramref name="text"/>, in order, to <paramref name="output"/>.</summary>
    public void FindMatches(ReadOnlySpan<char> text, List<AddedTokenMatch> output)
    {
        if (patterns.Length == 0) return;
        var position = 0;
        var previousEnd = 0;
        while (position < text.Length)
        {
            var relative = text[position..].IndexOfAny(firstChars);
            if (relative < 0) return;
            var at = position + relative;
            var hit = -1;
            for (var p = 0; p < patterns.Length; p++)
            {
                if (text[at..].StartsWith(patterns[p].Pattern, StringComparison.Ordinal))
                {
                    hit = p;
                    break;
                }
            }
            if (hit < 0)
            {
                position = at + 1;
                continue;
            }
            var token = patterns[hit].Token;
            var start = at;
            var stop = at + patterns[hit].Pattern.Length;
            position = stop;
            if (token.SingleWord && (EndsWithWordChar(text[..start]) || StartsWithWordChar(text[stop..])))
            {
                // As in tokenizers: the rejected match still consumes its span; the search resumes after it.
                continue;
            }
            if (token.LStrip)
            {
                var newStart = start;
                while (newStart > 0 && UnicodeClasses.IsWhiteSpace(text[newStart - 1])) newStart--;
                start = Math.Max(newStart, previousEnd);
            }
            if (token.RStrip)
            {
                while (stop < text.Length && UnicodeClasses.IsWhiteSpace(text[stop])) stop++;
                position = stop;
            }
            output.Add(new AddedTokenMatch(start, stop, token));
            previousEnd = stop;
        }
    }

    private static bool EndsWithWordChar(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        var i = text.Length - 1;
        if (i > 0 && char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1])) i--;
        return UnicodeClasses.IsWordChar(UnicodeClasses.CodePointAt(text, i, out _));
    }

    private static bool StartsWithWordChar(ReadOnlySpan<char> text) =>
        !text.IsEmpty && UnicodeClasses.IsWordChar(UnicodeClasses.CodePointAt(text, 0, out _));
}
