using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter;

/// <summary>Turns a token range into a <see cref="Block"/>: content ids + separator, offsets, span, properties.</summary>
internal static class BlockFactory
{
    /// <summary>
    /// Block for tokens [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="tokens"/> with
    /// position <c>counter.Next()</c>. The separator gets the empty offset (0, 0); the block's character span runs from
    /// the first to the last content token that has a non-empty span.
    /// </summary>
    public static Block Create(IReadOnlyList<Token> tokens, int start, int end, int sepId, BlockIdCounter counter, BlockProperties properties)
    {
        var n = end - start;
        var ids = new int[n + 1];
        var offsets = new CharSpan[n + 1];
        int spanStart = -1, spanEnd = -1;
        for (var i = 0; i < n; i++)
        {
            var token = tokens[start + i];
            ids[i] = token.Id;
            offsets[i] = new CharSpan(token.Start, token.End);
            if (token.End <= token.Start) continue;
            if (spanStart < 0) spanStart = token.Start;
            spanEnd = token.End;
        }
        ids[n] = sepId;
        var span = spanStart < 0 ? default : new CharSpan(spanStart, spanEnd);
        return new Block(ids, counter.Next(), properties.Kind, offsets, span)
        {
            Relevance = properties.Relevance,
            Label = properties.Label,
            LabelName = properties.LabelName,
            ExampleId = properties.ExampleId,
            Origin = properties.Origin,
            AnswerStart = Relative(properties.AnswerStartToken, start, end),
            AnswerEnd = Relative(properties.AnswerEndToken, start, end),
        };
    }

    private static int? Relative(int? tokenIndex, int start, int end) =>
        tokenIndex is { } t && start <= t && t < end ? t - start : null;
}
