using CogLtx.Text.Documents;

namespace CogLtx.Text.Tests.Documents;

public sealed class AssembledInputTests
{
    private static readonly Block Query = new([0, 50, 51, 2], 1, BlockKind.Query);
    private static readonly Block First = new([60, 61, 2], 2);
    private static readonly Block Second = new([70, 2], 3);

    [Fact]
    public void Assemble_ConcatenatesQueryFirst_MaskOnes_SegmentsZero()
    {
        var input = BlockBuffer.Sorted([Second, Query, First]).Assemble();
        Assert.Equal([0, 50, 51, 2, 60, 61, 2, 70, 2], input.InputIds.ToArray());
        Assert.Equal(Enumerable.Repeat(1, 9), input.AttentionMask);
        Assert.Equal(Enumerable.Repeat(0, 9), input.TokenTypeIds);
        Assert.Equal([new TokenSpan(0, 4), new TokenSpan(4, 7), new TokenSpan(7, 9)], input.BlockSpans.ToArray());
        Assert.Equal(new TokenSpan(4, 7), input.SpanOf(1));
        Assert.Equal([Query, First, Second], input.Blocks.ToArray());
    }

    [Fact]
    public void WithoutBlock_ZeroesOnlyThatMaskSpan_KeepsTokens()
    {
        var input = BlockBuffer.Sorted([Query, First, Second]).Assemble();
        var removed = input.WithoutBlock(1);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 1, 1], removed.AttentionMask.ToArray());
        Assert.Equal(input.InputIds.ToArray(), removed.InputIds.ToArray());
        Assert.Equal(Enumerable.Repeat(1, 9), input.AttentionMask);
        Assert.Throws<ArgumentOutOfRangeException>(() => input.WithoutBlock(3));
    }

    [Fact]
    public void PadTo_AppendsMaskedPadTokens()
    {
        var input = new BlockBuffer([Query, Second]).Assemble().PadTo(8, padId: 1);
        Assert.Equal([0, 50, 51, 2, 70, 2, 1, 1], input.InputIds.ToArray());
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 0], input.AttentionMask.ToArray());
        Assert.Equal(6, input.BlockTokenCount);
        Assert.Equal(8, input.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => input.PadTo(5, 1));
    }

    [Fact]
    public void DuplicateBlock_GetsTwoSpans()
    {
        var input = new BlockBuffer([Query, Second, Second]).Assemble();
        Assert.Equal([new TokenSpan(0, 4), new TokenSpan(4, 6), new TokenSpan(6, 8)], input.BlockSpans.ToArray());
    }
}
