using CogLtx.Text.Documents;

namespace CogLtx.Text.Tests.Documents;

public sealed class BlockBufferTests
{
    // A block of `length` tokens (length − 1 content ids then separator 2).
    private static Block B(long pos, int length, BlockKind kind = BlockKind.Document) =>
        new([.. Enumerable.Repeat((int)(100 + pos), length - 1), 2], pos, kind);

    [Fact]
    public void Insert_KeepsKindPositionOrder_AndCountsTokens()
    {
        var buffer = new BlockBuffer();
        var (d5, q1, d2, d9) = (B(5, 3), B(1, 2, BlockKind.Query), B(2, 4), B(9, 1));
        foreach (var b in new[] { d5, q1, d9, d2 }) buffer.Insert(b);
        Assert.Equal([q1, d2, d5, d9], buffer);
        Assert.Equal(10, buffer.TokenCount);
        Assert.Equal([2, 6, 9, 10], buffer.BlockEnds());
    }

    [Fact]
    public void Insert_EqualKey_GoesBeforeTheExistingBlock()
    {
        // buffer.py insert(reverse=True) scans from the end and inserts after the last block strictly smaller.
        var first = B(3, 2);
        var twin = B(3, 2);
        var buffer = BlockBuffer.Sorted([B(1, 2), first, B(4, 2)]);
        buffer.Insert(twin);
        Assert.Same(twin, buffer[1]);
        Assert.Same(first, buffer[2]);
    }

    [Fact]
    public void Add_AppendsWithoutSorting_SortIsStable()
    {
        var (d7, d3a, d3b) = (B(7, 2), B(3, 2), B(3, 2));
        var buffer = new BlockBuffer([d7, d3a]);
        buffer.Add(d3b);
        Assert.Equal([d7, d3a, d3b], buffer);
        buffer.Sort();
        Assert.Equal([d3a, d3b, d7], buffer);
    }

    [Fact]
    public void Fill_CutsCandidatesIntoConsecutiveGroupsWithinCapacity()
    {
        // Buffer 3 tokens, capacity 10; candidates 4, 3, 2, 5 tokens in that order:
        // 3+4+3 = 10 fits, +2 = 12 overflows → new group: 3+2+5 = 10.
        var query = B(1, 3, BlockKind.Query);
        var buffer = BlockBuffer.Sorted([query]);
        var (c9, c4, c7, c2) = (B(9, 4), B(4, 3), B(7, 2), B(2, 5));
        var groups = buffer.Fill([c9, c4, c7, c2], capacity: 10);
        Assert.Equal(2, groups.Count);
        Assert.Equal([query, c9, c4], groups[0]);
        Assert.Equal([query, c7, c2], groups[1]);
        Assert.All(groups, g => Assert.True(g.TokenCount <= 10));
        Assert.Single(buffer);
    }

    [Fact]
    public void Fill_NoCandidates_NoGroups_AndOversizedCandidateIsAnError()
    {
        var buffer = BlockBuffer.Sorted([B(1, 8, BlockKind.Query)]);
        Assert.Empty(buffer.Fill([], 10));
        var error = Assert.Throws<InvalidOperationException>(() => buffer.Fill([B(2, 2), B(3, 3)], 10));
        Assert.Contains("block 3 (3 tokens)", error.Message);
    }
}
