using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Data.Tests;

public sealed class SpanMappingTests
{
    // "Mira was born in Tarvos." tokenised as Mira | was | born | in | Tar | ##vos | .
    private static readonly Token[] Tokens =
    [
        new(1, "mira", 0, 4), new(2, "was", 5, 8), new(3, "born", 9, 13), new(4, "in", 14, 16),
        new(5, "tar", 17, 20), new(6, "##vos", 20, 23), new(7, ".", 23, 24),
    ];

    [Fact]
    public void ToTokenRange_AnswerSpanCoversItsSubwordPieces()
    {
        Assert.Equal((4, 5), new CharSpan(17, 23).ToTokenRange(Tokens));
        Assert.Equal((0, 6), new CharSpan(0, 24).ToTokenRange(Tokens));
        // A span that starts inside a token still maps to that token.
        Assert.Equal((5, 5), new CharSpan(21, 22).ToTokenRange(Tokens));
        Assert.Null(new CharSpan(4, 5).ToTokenRange(Tokens));
    }

    [Fact]
    public void ToTokenRange_OnEncodingOffsets_SkipsSpecialTokens()
    {
        (int, int)[] offsets = [(0, 0), (0, 4), (5, 8), (0, 0)];
        Assert.Equal((1, 1), new CharSpan(0, 3).ToTokenRange(offsets));
    }

    [Fact]
    public void OverlapsAndContains_AreHalfOpen()
    {
        Assert.False(new CharSpan(0, 5).Overlaps(new CharSpan(5, 9)));
        Assert.True(new CharSpan(0, 6).Overlaps(new CharSpan(5, 9)));
        Assert.True(new CharSpan(0, 9).Contains(new CharSpan(5, 9)));
        Assert.False(new CharSpan(0, 8).Contains(new CharSpan(5, 9)));
    }
}
