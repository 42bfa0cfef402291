using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter.Tests;

public sealed class SentenceSplitterTests
{
    private static List<Token> Tokens(int n, int firstId = 10) =>
        [.. Enumerable.Range(0, n).Select(i => new Token(firstId + i, $"t{i}", 3 * i, 3 * i + 2))];

    [Theory]
    // k = ⌈n/63⌉ pieces of s = ⌈n/k⌉ tokens, the last takes the rest.
    [InlineData(1, new[] { 1 })]
    [InlineData(63, new[] { 63 })]
    [InlineData(64, new[] { 32, 32 })]
    [InlineData(100, new[] { 50, 50 })]
    [InlineData(127, new[] { 43, 43, 41 })]
    [InlineData(200, new[] { 50, 50, 50, 50 })]
    public void Plan_CutsIntoEqualPieces(int n, int[] sizes)
    {
        var plan = SentenceSplitter.Plan(n, 63);
        Assert.Equal(sizes, plan.Select(r => r.End - r.Start));
        Assert.Equal(0, plan[0].Start);
        Assert.Equal(n, plan[^1].End);
    }

    [Fact]
    public void EmptySentences_AreSkipped()
    {
        var blocks = SentenceSplitter.Split([new TokenizedSentence([]), new TokenizedSentence(Tokens(5)), new TokenizedSentence([])], 2, new BlockIdCounter());
        var block = Assert.Single(blocks);
        Assert.Equal(6, block.Length);
        Assert.Equal(1L, block.Position);
    }

    [Fact]
    public void Split_EachSentenceSeparately_WithSeparatorOffsetsAndPositions()
    {
        var counter = new BlockIdCounter(10);
        var first = Tokens(100);
        var second = Tokens(3, 500);
        var blocks = SentenceSplitter.Split([new TokenizedSentence(first), new TokenizedSentence(second)], 2, counter);
        Assert.Equal([51, 51, 4], blocks.Select(b => b.Length));
        Assert.Equal([11L, 12L, 13L], blocks.Select(b => b.Position));
        Assert.Equal(13L, counter.Last);
        Assert.Equal(first.Skip(50).Take(50).Select(t => t.Id).Append(2), blocks[1].Ids);
        Assert.Equal(new CharSpan(150, 299), blocks[1].Span);
        Assert.Equal(default, blocks[1].TokenOffsets[^1]);
        Assert.All(blocks, b => Assert.Equal(BlockKind.Document, b.Kind));
    }

    [Fact]
    public void Properties_SentenceLevelOnEveryBlock_AnswerOnlyOnItsBlock()
    {
        // 100 tokens → blocks [0,50) and [50,100); answer tokens 48..52 straddle them.
        var props = new BlockProperties { Relevance = 1, Origin = new BlockOrigin("Old School", 2), ExampleId = "q7", AnswerStartToken = 48, AnswerEndToken = 52 };
        var blocks = SentenceSplitter.Split([new TokenizedSentence(Tokens(100), props)], 2, new BlockIdCounter());
        Assert.All(blocks, b => Assert.Equal((1, new BlockOrigin("Old School", 2), "q7"), (b.Relevance, b.Origin, b.ExampleId)));
        Assert.Equal((48, (int?)null), (blocks[0].AnswerStart!.Value, blocks[0].AnswerEnd));
        Assert.Equal(((int?)null, 2), (blocks[1].AnswerStart, blocks[1].AnswerEnd!.Value));
    }

    [Fact]
    public void SplitQuery_PrependsClsAndMarksQuery()
    {
        var blocks = SentenceSplitter.SplitQuery(Tokens(3), clsId: 0, sepId: 2, new BlockIdCounter(),
            properties: new BlockProperties { Relevance = 2, AnswerStartToken = 1 });
        var block = Assert.Single(blocks);
        Assert.Equal([0, 10, 11, 12, 2], block.Ids.ToArray());
        Assert.Equal(BlockKind.Query, block.Kind);
        Assert.Equal(2, block.Relevance);
        Assert.Equal(2, block.AnswerStart);
        Assert.Equal(new CharSpan(0, 8), block.Span);
    }

    [Fact]
    public void SplitQuery_EmptyQuestion_IsClsSep()
    {
        var block = Assert.Single(SentenceSplitter.SplitQuery([], 0, 2, new BlockIdCounter()));
        Assert.Equal([0, 2], block.Ids.ToArray());
        Assert.True(block.Span.IsEmpty);
    }
}
