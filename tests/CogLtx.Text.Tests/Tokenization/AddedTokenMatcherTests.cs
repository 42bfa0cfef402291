using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class AddedTokenMatcherTests
{
    private static (int, int, string)[] Find(string text, params AddedToken[] tokens)
    {
        var matches = new List<AddedTokenMatch>();
        new AddedTokenMatcher(tokens.Select(t => (t.Content, t))).FindMatches(text, matches);
        return matches.Select(m => (m.Start, m.End, m.Token.Content)).ToArray();
    }

    [Fact]
    public void FindMatches_PrefersTheLeftmostThenTheLongest()
    {
        Assert.Equal([(1, 5, "<m>x"), (5, 8, "<m>")], Find("a<m>x<m>", new AddedToken(1, "<m>"), new AddedToken(2, "<m>x")));
    }

    [Fact]
    public void FindMatches_LStrip_AbsorbsWhiteSpaceButNotAPreviousMatch()
    {
        Assert.Equal([(1, 9, "<mask>")], Find("a \t<mask>", new AddedToken(1, "<mask>", LStrip: true)));
        // "<s>" with rstrip already took the space, so "<mask>" cannot take it again.
        Assert.Equal([(0, 4, "<s>"), (4, 10, "<mask>")],
            Find("<s> <mask>", new AddedToken(1, "<s>", RStrip: true), new AddedToken(2, "<mask>", LStrip: true)));
    }

    [Fact]
    public void FindMatches_LStripAfterASurrogatePair_StopsAtIt()
    {
        // 🤗 is two UTF-16 units; neither half is white space.
        Assert.Equal([(2, 9, "<mask>")], Find("🤗 <mask>", new AddedToken(1, "<mask>", LStrip: true)));
        Assert.Equal([(2, 8, "<mask>")], Find("🤗<mask>", new AddedToken(1, "<mask>", LStrip: true)));
    }

    [Fact]
    public void FindMatches_SingleWord_RejectsMatchesInsideWords()
    {
        Assert.Equal([(5, 8, "<m>")], Find("a<m> <m> b<m>", new AddedToken(1, "<m>", SingleWord: true)));
    }

    [Fact]
    public void FindMatches_IsCaseSensitive()
    {
        Assert.Empty(Find("[cls] [Cls]", new AddedToken(1, "[CLS]")));
    }
}
