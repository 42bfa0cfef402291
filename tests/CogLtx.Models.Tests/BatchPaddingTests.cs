using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

public sealed class BatchPaddingTests
{
    [Fact]
    public void Pad_ToTheLongestRow_CopiesIdsAndMasks_AndFillsThePadIdWithMaskZero()
    {
        var input = BatchPadding.Pad([new PaddingRow(new[] { 1, 2, 3 }, new[] { 1, 0, 1 }), new PaddingRow(new[] { 4 })], padId: 9);
        Assert.Equal((2, 3), (input.Batch, input.Length));
        Assert.Equal([1, 2, 3, 4, 9, 9], input.InputIds);
        Assert.Equal([1, 0, 1, 1, 0, 0], input.AttentionMask);
        Assert.Equal(new int[6], input.TokenTypeIds!);
        Assert.Null(input.GlobalAttentionMask);
    }

    [Fact]
    public void Pad_ToAFixedLength_WithAGlobalMaskOnOneRow()
    {
        var input = BatchPadding.Pad([new PaddingRow(new[] { 1, 2 }), new PaddingRow(new[] { 3 }, default, new[] { 1 })], padId: 0, length: 4);
        Assert.Equal([1, 2, 0, 0, 3, 0, 0, 0], input.InputIds);
        Assert.Equal([1, 1, 0, 0, 1, 0, 0, 0], input.AttentionMask);
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0], input.GlobalAttentionMask!);
    }

    [Fact]
    public void Pad_BadLengths_NameTheRowAndTheCounts()
    {
        var shorter = Assert.Throws<ArgumentOutOfRangeException>(() => BatchPadding.Pad([new PaddingRow(new[] { 1, 2, 3 })], 0, length: 2));
        Assert.Contains("the longest row has 3", shorter.Message);
        var mask = Assert.Throws<ArgumentException>(() => BatchPadding.Pad([new PaddingRow(new[] { 1 }), new PaddingRow(new[] { 1, 2 }, new[] { 1 })], 0));
        Assert.Contains("row 1: its attention mask has 1 entries, its ids 2", mask.Message);
    }

    [Fact]
    public void Pad_ToTheLongestRowOrTo64_GivesTheSameOutputsAtRealTokens()
    {
        // Padded keys are masked, so only the summation order differs (the softmax and GEMM reduce over more,
        // all-zero, terms in other vector groupings): equal to float rounding, not to the bit.
        var config = BertConfig.Scratch(vocabSize: 60, layers: 2, hidden: 32, heads: 4);
        var model = BertModel.Create(config, seed: 5);
        model.Eval();
        PaddingRow[] rows = [new(new[] { 2, 7, 9, 11, 3 }), new(new[] { 2, 40, 3 }, new[] { 1, 0, 1 })];
        using var _ = Autograd.NoGrad();
        var tight = BatchPadding.Pad(rows, config.PaddingIdx);
        var wide = BatchPadding.Pad(rows, config.PaddingIdx, length: 64);
        var a = model.Forward(tight).Data;
        var b = model.Forward(wide).Data;
        var h = config.HiddenSize;
        for (var r = 0; r < rows.Length; r++)
            for (var t = 0; t < rows[r].Ids.Length; t++)
                for (var i = 0; i < h; i++)
                    Assert.Equal(a[((r * tight.Length) + t) * h + i], b[((r * wide.Length) + t) * h + i], 1e-5f);
    }
}
