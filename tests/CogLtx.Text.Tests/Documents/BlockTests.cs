using CogLtx.Text.Documents;

namespace CogLtx.Text.Tests.Documents;

public sealed class BlockTests
{
    [Fact]
    public void Order_IsKindThenPosition_QueryFirst()
    {
        var doc1 = new Block([5, 2], 1);
        var query9 = new Block([0, 2], 9, BlockKind.Query);
        var doc3 = new Block([6, 2], 3);
        Assert.Equal([query9, doc1, doc3], new[] { doc3, query9, doc1 }.Order(Block.ReadingOrder));
        Assert.True(Block.ReadingOrder.Compare(query9, doc1) < 0);
        Assert.True(Block.ReadingOrder.Compare(doc3, doc1) > 0);
    }

    [Fact]
    public void Equality_IsIdentity()
    {
        var a = new Block([5, 2], 1);
        var b = new Block([5, 2], 1);
        Assert.NotEqual(a, b);
        Assert.Equal(0, Block.ReadingOrder.Compare(a, b));
        Assert.Equal(a, a);
    }

    [Fact]
    public void Defaults_RelevanceAndEstimationZero_Mutable()
    {
        var block = new Block([5, 6, 2], 4);
        Assert.Equal((0, 0f, false, BlockKind.Document, 3), (block.Relevance, block.Estimation, block.IsRelevant, block.Kind, block.Length));
        block.Relevance = 1;
        block.Estimation = 0.75f;
        Assert.True(block.IsRelevant);
        Assert.Equal(0.75f, block.Estimation);
        Assert.Equal(3, block.TokenOffsets.Length);
    }

    [Fact]
    public void Constructor_RejectsBadInput_NamingTheProblem()
    {
        var empty = Assert.Throws<ArgumentException>(() => new Block([], 7));
        Assert.Contains("block 7", empty.Message);
        var offsets = Assert.Throws<ArgumentException>(() => new Block([1, 2], 8, tokenOffsets: [new CharSpan(0, 1)]));
        Assert.Contains("2 ids but 1 token offsets", offsets.Message);
        Assert.Throws<ArgumentException>(() => new Block([1, 2], 9, span: new CharSpan(5, 3)));
    }

    [Fact]
    public void Ids_AreCopied_NotShared()
    {
        int[] ids = [5, 6, 2];
        var block = new Block(ids, 1);
        ids[0] = 99;
        Assert.Equal(5, block.Ids[0]);
    }

    [Fact]
    public void Counter_HandsOutIncreasingPositionsFromOne()
    {
        var counter = new BlockIdCounter();
        Assert.Equal([1L, 2L, 3L], new[] { counter.Next(), counter.Next(), counter.Next() });
        Assert.Equal(3L, counter.Last);
        Assert.Equal(11L, new BlockIdCounter(10).Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockIdCounter(-1));
    }
}
