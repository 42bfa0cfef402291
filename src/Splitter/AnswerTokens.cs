using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter;

/// <summary>
/// Finds an answer's first and last tokens by character span in the token sequence blocks are made from (spec §1:
/// the block holding the answer's first token gets <c>start</c>, the one holding its last token gets <c>end</c>).
/// Resolving on the blocks' own tokens keeps the marks right however the text was tokenized (whole, or sentence by
/// sentence as mode S does).
/// </summary>
public static class AnswerTokens
{
    /// <summary>
    /// Indices of the first and last token of <paramref name="tokens"/> whose non-empty span overlaps
    /// <paramref name="answer"/>, or null when none does. Tokens with empty spans (special tokens, prefixes that
    /// point at no text) never match.
    /// </summary>
    public static (int First, int Last)? Resolve(IEnumerable<Token> tokens, CharSpan answer)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int first = -1, last = -1, i = 0;
        foreach (var token in tokens)
        {
            if (token.End > token.Start && token.Start < answer.End && answer.Start < token.End)
            {
                if (first < 0) first = i;
                last = i;
            }
            i++;
        }
        return first < 0 ? null : (first, last);
    }

    /// <summary>
    /// <paramref name="properties"/> with <see cref="BlockProperties.AnswerSpan"/> resolved into token indices of
    /// <paramref name="tokens"/> (unchanged when it carries no span).
    /// </summary>
    public static BlockProperties? ResolveInto(BlockProperties? properties, IEnumerable<Token> tokens)
    {
        if (properties?.AnswerSpan is not { } span) return properties;
        var range = Resolve(tokens, span);
        return properties with { AnswerStartToken = range?.First, AnswerEndToken = range?.Last, AnswerSpan = null };
    }
}
