using CogLtx.Reasoner.Decoding;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Tests;

public sealed class SpanDecoderTests
{
    // z+ = [<s> yes no q </s>] [d5 d6 ... d39]: query 5 tokens, slots 1 = yes, 2 = no
    private static readonly SpanLayout Layout = new(40, 5, new Dictionary<int, AnswerKind> { [1] = AnswerKind.Yes, [2] = AnswerKind.No });

    private static float[] Logits(params (int Index, float Value)[] peaks)
    {
        var x = new float[40];
        Array.Fill(x, -10f);
        foreach (var (i, v) in peaks) x[i] = v;
        return x;
    }

    [Fact]
    public void Decode_PicksBestWellFormedPair()
    {
        var start = Logits((10, 5f), (12, 4f));
        var end = Logits((11, 5f), (9, 6f));
        // (10, 9) is reversed → −100000; best valid: (10, 11) = 10
        var p = SpanDecoder.Decode(start, end, Layout, SpanDecodingOptions.HotpotQa);
        Assert.Equal((10, 11, AnswerKind.Span), (p.Start, p.End, p.Kind));
        Assert.Equal(10f, p.Score);
    }

    [Fact]
    public void Decode_LengthPenalties_AreIfElse()
    {
        // (6, 30): length 24 > 20 → −20 only (not −25): 10 + 10 − 20 = 0
        // (6, 16): length 10 > 8 → −5: 10 + 4 − 5 = 9 → wins; (6,30) would be 0
        var start = Logits((6, 10f));
        var end = Logits((30, 10f), (16, 4f));
        var p = SpanDecoder.Decode(start, end, Layout, SpanDecodingOptions.HotpotQa);
        Assert.Equal((6, 16), (p.Start, p.End));
        Assert.Equal(9f, p.Score);
        Assert.Equal(-20f, SpanDecoder.Penalty(6, 30, Layout, SpanDecodingOptions.HotpotQa));
        Assert.Equal(0f, SpanDecoder.Penalty(6, 14, Layout, SpanDecodingOptions.HotpotQa));
        // NewsQA: only beyond 80 tokens
        Assert.Equal(0f, SpanDecoder.Penalty(6, 30, Layout, SpanDecodingOptions.NewsQa));
    }

    [Fact]
    public void Decode_PositionZero_MeansNotInContext()
    {
        var start = Logits((0, 8f), (10, 2f));
        var end = Logits((0, 8f), (10, 2f));
        var p = SpanDecoder.Decode(start, end, Layout, SpanDecodingOptions.HotpotQa);
        Assert.Equal(AnswerKind.NotInContext, p.Kind);
        Assert.Equal((0, 0), (p.Start, p.End));
    }

    [Fact]
    public void Decode_YesNoSlots_AndQuerySpansAreInvalid()
    {
        var start = Logits((2, 8f), (1, 7f));
        var end = Logits((2, 8f), (3, 9f));
        // (2, 3) would score 17 but runs over a query word → invalid; (2, 2) = 16 is the "no" slot
        var p = SpanDecoder.Decode(start, end, Layout, SpanDecodingOptions.HotpotQa);
        Assert.Equal(AnswerKind.No, p.Kind);
        Assert.Equal(16f, p.Score);
        Assert.Equal(-100000f, SpanDecoder.Penalty(2, 3, Layout, SpanDecodingOptions.HotpotQa));
        Assert.Equal(-100000f, SpanDecoder.Penalty(0, 7, Layout, SpanDecodingOptions.HotpotQa));
        Assert.Equal(-100000f, SpanDecoder.Penalty(3, 7, Layout, SpanDecodingOptions.HotpotQa));
    }

    [Fact]
    public void Decode_OnlyTopKAreConsidered()
    {
        // Six start peaks; spans longer than 3 tokens cost 50. Only the 6th-best start (20) makes a short span with
        // the best end (21), so it wins with K = 6 but is out of reach with K = 5.
        var start = Logits((10, 9f), (11, 8.9f), (12, 8.8f), (13, 8.7f), (14, 8.6f), (20, 8.5f));
        var end = Logits((21, 9f), (9, 8f));
        var options = SpanDecodingOptions.HotpotQa with { LengthPenalties = [new(3, -50f)] };
        var p = SpanDecoder.Decode(start, end, Layout, options);
        Assert.Equal((10, 21), (p.Start, p.End));
        Assert.Equal(9f + 9f - 50f, p.Score);
        var wide = SpanDecoder.Decode(start, end, Layout, options with { TopK = 6 });
        Assert.Equal((20, 21), (wide.Start, wide.End));
    }

    [Fact]
    public void Decode_IgnoresPositionsBeyondLayoutLength()
    {
        var start = new float[50];
        var end = new float[50];
        start[45] = 100; end[45] = 100; start[7] = 1; end[7] = 1;
        var p = SpanDecoder.Decode(start, end, Layout, SpanDecodingOptions.NewsQa);
        Assert.True(p.End < 40);
    }
}
