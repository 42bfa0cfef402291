using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class GradientAccumulatorTests
{
    [Fact]
    public void Backward_KMicroBatches_StepsOnceOnTheMeanGradient()
    {
        // L1 = 1·w0 + 2·w1, L2 = 3·w0 − 2·w1 → mean gradient (2, 0), norm 2.
        var w = AdamWTests.Param(new Tensor([0.5f, -0.5f], 2));
        var opt = new AdamW([("w", w)], learningRate: 0.1);
        var acc = new GradientAccumulator(opt, accumulationSteps: 2);

        Assert.Null(acc.Backward(Dot(w, [1f, 2f])));
        Assert.Equal(1, acc.Pending);
        Assert.Equal([0.5f, 1f], w.Grad!);  // half of (1, 2): the seed is 1/k
        var report = acc.Backward(Dot(w, [3f, -2f]));

        Assert.NotNull(report);
        Assert.Equal(1, report.Step);
        Assert.Equal(2, report.MicroBatches);
        Assert.Equal(2f, report.GradNorm, 1e-6f);
        Assert.Equal((0.5 - 1.0 + 1.5 + 1.0) / 2, report.MeanLoss, 1e-6);
        Assert.Null(w.Grad);
        Assert.Equal(0, acc.Pending);

        // The same update as one optimizer step on the mean gradient.
        var twin = AdamWTests.Param(new Tensor([0.5f, -0.5f], 2));
        new float[] { 2f, 0f }.CopyTo(twin.GradSpan());
        var twinOpt = new AdamW([("w", twin)], learningRate: 0.1);
        twinOpt.Step();
        Assert.Equal(twin.Data, w.Data);
    }

    [Fact]
    public void Backward_WithScheduleAndClipping_SetsTheRateBeforeEachStepAndReportsTheRawNorm()
    {
        var w = AdamWTests.Param(new Tensor([0f, 0f], 2));
        var opt = new AdamW([("w", w)], learningRate: 123);
        var acc = new GradientAccumulator(opt, schedule: LrSchedules.LinearWithWarmup(1.0, 2, 10), maxGradNorm: 1.0);
        var rates = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var r = acc.Backward(Dot(w, [30f, 40f]))!;
            rates.Add(r.LearningRate);
            Assert.Equal(50f, r.GradNorm, 1e-4f);
        }
        Assert.Equal([0.0, 0.5, 1.0], rates);
        Assert.Equal(3, opt.Steps);
    }

    [Fact]
    public void Flush_PartialWindow_AveragesOverTheMicroBatchesSeen()
    {
        // k = 4 but only 2 micro-batches: gradients (1,2)/4 + (3,−2)/4, rescaled by 4/2 → mean (2, 0).
        var w = AdamWTests.Param(new Tensor([0f, 0f], 2));
        var acc = new GradientAccumulator(new AdamW([("w", w)]), accumulationSteps: 4);
        Assert.Null(acc.Flush());
        acc.Backward(Dot(w, [1f, 2f]));
        acc.Backward(Dot(w, [3f, -2f]));
        var report = acc.Flush()!;
        Assert.Equal(2, report.MicroBatches);
        Assert.Equal(2f, report.GradNorm, 1e-6f);
        Assert.Equal(0, acc.Pending);
    }

    [Fact]
    public void Backward_NonFiniteLoss_ThrowsWithoutTouchingParameters()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var acc = new GradientAccumulator(new AdamW([("w", w)]));
        var e = Assert.Throws<NonFiniteException>(() => acc.Backward(Dot(w, [float.NaN, 0f])));
        Assert.Equal(["loss"], e.Names);
        Assert.Contains("loss is NaN", e.Message);
        Assert.Equal([1f, 1f], w.Data);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Backward_NonFiniteGradient_ThrowsAndClearsTheWindow()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)]);
        var acc = new GradientAccumulator(opt, maxGradNorm: 1.0);
        Assert.Throws<NonFiniteException>(() => acc.Backward(Dot(w, [1f, 1f], gradOverride: float.PositiveInfinity)));
        Assert.Equal([1f, 1f], w.Data);
        Assert.Equal(0, opt.Steps);
        Assert.Equal(0, acc.Pending);
        Assert.Null(w.Grad);
        Assert.NotNull(acc.Backward(Dot(w, [1f, 1f])));
        Assert.Equal(1, opt.Steps);
    }

    [Fact]
    public void Backward_SkipNonFinite_DropsTheWindowAndCountsIt()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)]);
        var acc = new GradientAccumulator(opt, accumulationSteps: 2, skipNonFinite: true);
        Assert.Null(acc.Backward(Dot(w, [1f, 1f])));
        var skipped = acc.Backward(Dot(w, [1f, 1f], gradOverride: float.NaN))!;
        Assert.True(skipped.Skipped);
        Assert.True(float.IsNaN(skipped.GradNorm));
        var lossSkip = acc.Backward(Dot(w, [float.PositiveInfinity, 0f]))!;
        Assert.True(lossSkip.Skipped);
        Assert.Equal(2, acc.SkippedSteps);
        Assert.Equal([1f, 1f], w.Data);
        Assert.Equal(0, opt.Steps);
        Assert.Null(w.Grad);
    }

    /// <summary>loss = Σ cᵢ·wᵢ recorded on the tape by hand (no engine ops needed); dL/dwᵢ = cᵢ, or <paramref name="gradOverride"/>.</summary>
    private static Tensor Dot(Tensor w, float[] c, float? gradOverride = null)
    {
        var value = 0f;
        for (var i = 0; i < c.Length; i++) value += c[i] * w.Data[i];
        var loss = new Tensor([value], 1);
        return Autograd.Record(loss, [w], () =>
        {
            var seed = loss.Grad![0];
            var g = w.GradSpan();
            for (var i = 0; i < c.Length; i++) g[i] += gradOverride ?? seed * c[i];
        });
    }
}
