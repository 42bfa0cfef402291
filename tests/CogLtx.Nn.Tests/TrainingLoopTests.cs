using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class TrainingLoopTests
{
    // A row is a coefficient vector c; its loss is c·w, so a micro-batch's mean loss has gradient mean(c).
    private static readonly float[][] Rows = [[1f, 2f], [3f, -2f], [5f, 3f], [-1f, 4f], [2f, 2f]];

    private static TrainingLoop Loop(Tensor w, AdamW opt, int accumulation, double maxGradNorm = 0, int checkpointEvery = 0, int stopAfter = 0, ILrSchedule? schedule = null) =>
        new([w], opt, schedule ?? new ConstantSchedule(0.1), accumulation, maxGradNorm, checkpointEvery, stopAfter);

    private static MicroBatchLoss MeanLoss(Tensor w, float[][] rows)
    {
        var mean = new float[2];
        foreach (var r in rows)
            for (var i = 0; i < 2; i++) mean[i] += r[i] / rows.Length;
        return new MicroBatchLoss(Dot(w, mean));
    }

    [Fact]
    public void RunPass_UnequalMicroBatches_StepOnTheMeanGradientOverTheStepsRows()
    {
        // Micro-batches of 2 and 1 rows in one step: the gradient is the mean over the 3 rows, (3, 1), not the
        // mean of the two micro-batch means.
        var w = AdamWTests.Param(new Tensor([0.5f, -0.5f], 2));
        var opt = new AdamW([("w", w)], learningRate: 0.1);
        var steps = new List<OptimizerStep>();
        var completed = Loop(w, opt, accumulation: 2).RunPass<float[]>([[.. Rows[0..2]], [Rows[2]]], 0, 0,
            micro => MeanLoss(w, micro), steps.Add, () => { }, "test", CancellationToken.None);

        Assert.True(completed);
        var step = Assert.Single(steps);
        Assert.Equal((1, 1, 1, 3), (step.Step, step.Steps, step.TotalSteps, step.Rows));
        var rowLosses = Rows[0..3].Select(r => (double)(r[0] * 0.5f - r[1] * 0.5f)).ToList();
        Assert.Equal(rowLosses.Average(), step.Loss, 1e-6);

        var twin = AdamWTests.Param(new Tensor([0.5f, -0.5f], 2));
        new float[] { 3f, 1f }.CopyTo(twin.GradSpan());
        new AdamW([("w", twin)], learningRate: 0.1).Step();
        for (var i = 0; i < 2; i++) Assert.Equal(twin.Data[i], w.Data[i], 1e-6f);
    }

    [Fact]
    public void RunPass_SetsTheScheduledRateBeforeEachStep_AndCountsAPartialLastStep()
    {
        var w = AdamWTests.Param(new Tensor([0f, 0f], 2));
        var opt = new AdamW([("w", w)], learningRate: 123);
        var steps = new List<OptimizerStep>();
        // 5 micro-batches of one row, 2 per step: 3 steps, the last of one micro-batch.
        Loop(w, opt, accumulation: 2, maxGradNorm: 1.0, schedule: LrSchedules.LinearWithWarmup(1.0, 2, 10))
            .RunPass<float[]>([.. Rows.Select(r => new[] { r })], 0, 10, micro => MeanLoss(w, micro), steps.Add, () => { }, "test", CancellationToken.None);
        Assert.Equal([0.0, 0.5, 1.0], steps.Select(s => s.LearningRate));
        Assert.Equal([2, 2, 1], steps.Select(s => s.Rows));
        Assert.Equal([11, 12, 13], steps.Select(s => s.TotalSteps));
        Assert.Equal(3, opt.Steps);
    }

    [Fact]
    public void RunPass_NonFiniteLoss_StopsNamingTheStep_AfterTheLastGoodCheckpoint()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)], learningRate: 0.1);
        var saved = new List<float[]>();
        var micro = 0;
        var error = Assert.Throws<TrainingDivergedException>(() => Loop(w, opt, accumulation: 1, checkpointEvery: 1).RunPass<float[]>(
            [.. Rows.Select(r => new[] { r })], 0, 0,
            m => ++micro == 3 ? new MicroBatchLoss(Dot(w, [float.NaN, 0f])) : MeanLoss(w, m),
            _ => { }, () => saved.Add((float[])w.Data.Clone()), "epoch 0, Judge", CancellationToken.None));

        Assert.Contains("epoch 0, Judge step 3", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Equal(2, saved.Count);
        Assert.Equal(saved[^1], w.Data);
        Assert.Equal(2, opt.Steps);
    }

    [Fact]
    public void RunPass_NonFiniteGradient_StopsBeforeTheUpdate()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)]);
        var error = Assert.Throws<TrainingDivergedException>(() => Loop(w, opt, accumulation: 1, maxGradNorm: 1.0).RunPass<float[]>(
            [[Rows[0]]], 0, 0, _ => new MicroBatchLoss(Dot(w, [1f, 1f], gradOverride: float.PositiveInfinity)), _ => { }, () => { }, "head: epoch 0,", CancellationToken.None));
        Assert.Contains("head: epoch 0, step 1: the gradient norm is", error.Message);
        Assert.Equal([1f, 1f], w.Data);
        Assert.Equal(0, opt.Steps);
    }

    [Fact]
    public void RunPass_CancelledBetweenMicroBatches_LeavesTheParametersUntouched()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)]);
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => Loop(w, opt, accumulation: 2).RunPass<float[]>(
            [[Rows[0]], [Rows[1]]], 0, 0, m => { cts.Cancel(); return MeanLoss(w, m); }, _ => { }, () => { }, "test", cts.Token));
        Assert.Equal([1f, 1f], w.Data);
        Assert.Equal(0, opt.Steps);
    }

    [Fact]
    public void RunPass_StopAfterSteps_SavesAndStops_AndAPassResumesAtItsStep()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)]);
        var micro = Rows.Select(r => new[] { r }).ToList();
        var saves = 0;
        var seen = new List<float[]>();
        Assert.False(Loop(w, opt, accumulation: 1, stopAfter: 2).RunPass<float[]>(micro, 0, 0, m => { seen.Add(m[0]); return MeanLoss(w, m); }, _ => { }, () => saves++, "test", CancellationToken.None));
        Assert.Equal(1, saves);
        Assert.True(Loop(w, opt, accumulation: 1).RunPass<float[]>(micro, 2, 2, m => { seen.Add(m[0]); return MeanLoss(w, m); }, _ => { }, () => saves++, "test", CancellationToken.None));
        Assert.Equal(Rows, seen);
        Assert.Equal(5, opt.Steps);
    }

    [Fact]
    public void RunPass_SelfBackpropagatingMicroBatch_GetsItsShareOfTheStep_AndStepsAsARecordedLossWould()
    {
        // The same rows as the first test, one micro-batch handing its loss over, the other back-propagating itself
        // (given the scale 2/3 or 1/3): the step's gradient is still the mean over the 3 rows.
        var (w, twin) = (AdamWTests.Param(new Tensor([0.5f, -0.5f], 2)), AdamWTests.Param(new Tensor([0.5f, -0.5f], 2)));
        var (opt, twinOpt) = (new AdamW([("w", w)], learningRate: 0.1), new AdamW([("w", twin)], learningRate: 0.1));
        var scales = new List<float>();
        var steps = new List<OptimizerStep>();
        Loop(w, opt, accumulation: 2).RunPass<float[]>([[.. Rows[0..2]], [Rows[2]]], 0, 0, micro => new MicroBatchLoss(scale =>
        {
            scales.Add(scale);
            var loss = MeanLoss(w, micro).Loss!;
            Ops.Scale(loss, scale).Backward();
            return loss.Item();
        }), steps.Add, () => { }, "test", CancellationToken.None);
        var twinSteps = new List<OptimizerStep>();
        Loop(twin, twinOpt, accumulation: 2).RunPass<float[]>([[.. Rows[0..2]], [Rows[2]]], 0, 0,
            micro => MeanLoss(twin, micro), twinSteps.Add, () => { }, "test", CancellationToken.None);

        Assert.Equal([2f / 3, 1f / 3], scales);
        Assert.Equal(twinSteps, steps);
        Assert.Equal(twin.Data, w.Data);
    }

    [Fact]
    public void RunPass_SelfBackpropagatingMicroBatch_NonFinite_StopsNamingTheStep()
    {
        var w = AdamWTests.Param(new Tensor([1f, 1f], 2));
        var opt = new AdamW([("w", w)], learningRate: 0.1);
        var error = Assert.Throws<TrainingDivergedException>(() => Loop(w, opt, accumulation: 1).RunPass<float[]>(
            [.. Rows.Select(r => new[] { r })], 0, 0,
            m => new MicroBatchLoss(_ => opt.Steps == 1 ? throw new NonFiniteException("the loss of rows 0–0 is NaN", ["loss"]) : 0f),
            _ => { }, () => { }, "epoch 0, sliding-max", CancellationToken.None));
        Assert.Equal("epoch 0, sliding-max step 2: the loss of rows 0–0 is NaN", error.Message);
        var infinite = Assert.Throws<TrainingDivergedException>(() => Loop(w, opt, accumulation: 1).RunPass<float[]>(
            [[Rows[0]]], 0, 0, _ => new MicroBatchLoss(_ => float.PositiveInfinity), _ => { }, () => { }, "x", CancellationToken.None));
        Assert.Contains("x step 1: the loss is Infinity", infinite.Message);
        Assert.Equal(1, opt.Steps);
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
