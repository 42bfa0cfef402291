using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines.Tests;

public sealed class SlidingWindowsTests
{
    [Fact]
    public void Cover_StartsStrideApart_LastReachesTheEnd()
    {
        Assert.Equal([new Window(0, 4), new Window(3, 4), new Window(6, 4)], SlidingWindows.Cover(10, 4, 3));
    }

    [Fact]
    public void Cover_LastWindowMayBeShorter()
    {
        Assert.Equal([new Window(0, 4), new Window(4, 4), new Window(8, 2)], SlidingWindows.Cover(10, 4, 4));
    }

    [Theory]
    [InlineData(1, 4, 2)]
    [InlineData(4, 4, 2)]
    [InlineData(513, 509, 256)]
    [InlineData(2000, 509, 509)]
    [InlineData(3001, 100, 7)]
    public void Cover_EveryTokenInSomeWindow_OverlapIsWindowMinusStride(int n, int window, int stride)
    {
        var windows = SlidingWindows.Cover(n, window, stride);
        var covered = new bool[n];
        foreach (var w in windows)
            for (var i = w.Start; i < w.End; i++) covered[i] = true;
        Assert.All(covered, Assert.True);
        Assert.Equal(n, windows[^1].End);
        for (var k = 1; k < windows.Count; k++) Assert.Equal(stride, windows[k].Start - windows[k - 1].Start);
        Assert.All(windows.Take(windows.Count - 1), w => Assert.Equal(window, w.Length));
    }

    [Fact]
    public void Cover_EmptyDocument_GivesOneEmptyWindow()
    {
        Assert.Equal([new Window(0, 0)], SlidingWindows.Cover(0, 4, 2));
    }

    [Fact]
    public void Cover_StrideLargerThanWindow_IsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Cover(10, 4, 5));
        Assert.Contains("stride", e.Message);
    }

    [Fact]
    public void Pool_MeanAndMax_HandValues()
    {
        var x = new Tensor([1f, -2f, 3f, 5f, 0f, -1f], 2, 3);
        Assert.Equal([3f, -1f, 1f], SlidingWindows.Pool(x, Pooling.Mean).Data);
        Assert.Equal([5f, 0f, 3f], SlidingWindows.Pool(x, Pooling.Max).Data);
        Assert.Equal([1, 3], SlidingWindows.Pool(x, Pooling.Max).Shape);
    }

    [Fact]
    public void Pool_Gradients_MeanSpreadsMaxRoutesToTheArgMax()
    {
        var x = new Tensor([1f, -2f, 3f, 5f, 0f, -1f], 2, 3) { RequiresGrad = true };
        Ops.Sum(SlidingWindows.Pool(x, Pooling.Max)).Backward();
        Assert.Equal([0f, 0f, 1f, 1f, 1f, 0f], x.Grad!);
        x.ZeroGrad();
        Ops.Sum(SlidingWindows.Pool(x, Pooling.Mean)).Backward();
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], x.Grad!);
    }

    [Fact]
    public void BestSpan_PicksTheHighestScoringSpanAcrossWindows_AndMapsItToTheDocument()
    {
        var example = new BaselineExample("e", [], [10, 11, 12, 13, 14, 15]);
        // Window A holds doc 0..3, window B doc 2..5; rows are [CLS][SEP] d d d d [SEP] (layout length 6).
        var a = InputView.Build(example, [0, 1, 2, 3], TinyModels.Specials);
        var b = InputView.Build(example, [2, 3, 4, 5], TinyModels.Specials);
        // A: [CLS] is its favourite (ignored); its best real span is (2, 2) → doc 0, score 1 + 1.
        float[] aStart = [9f, 0f, 1f, 0f, 0f, 0f, 0f], aEnd = [9f, 0f, 1f, 0f, 0f, 0f, 0f];
        // B: span (3, 4) → doc 3..4, score 2 + 3.
        float[] bStart = [0f, 0f, 0f, 2f, 0f, 0f, 0f], bEnd = [0f, 0f, 0f, 0f, 3f, 0f, 0f];
        var best = SlidingWindows.BestSpan([(a, aStart, aEnd), (b, bStart, bEnd)], SpanDecodingOptions.NewsQa);
        Assert.Equal(new SpanAnswer(AnswerKind.Span, 3, 4, 5f), best);
    }

    [Fact]
    public void BestSpan_QuerySlotWins_WhenItScoresHighest()
    {
        var example = new BaselineExample("e", [30], [10, 11]) { QuerySlots = new Dictionary<int, AnswerKind> { [0] = AnswerKind.No } };
        var view = InputView.Build(example, [0, 1], TinyModels.Specials);
        // [CLS] 30 [SEP] 10 11 [SEP]: the slot sits at position 1.
        float[] start = [0f, 4f, 0f, 1f, 0f, 0f], end = [0f, 4f, 0f, 0f, 1f, 0f];
        var best = SlidingWindows.BestSpan([(view, start, end)], SpanDecodingOptions.NewsQa);
        Assert.Equal(AnswerKind.No, best.Kind);
        Assert.Equal(8f, best.Score);
    }
}
