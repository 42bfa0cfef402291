using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>What one optimizer step did.</summary>
/// <param name="Step">1-based optimizer step (after this one), or the unchanged count when skipped.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="GradNorm">Global gradient norm before clipping (NaN/∞ if a gradient was not finite).</param>
/// <param name="MeanLoss">Mean of the micro-batch losses of this step.</param>
/// <param name="MicroBatches">How many micro-batches the step averaged.</param>
/// <param name="Skipped">True when a non-finite loss or gradient made the step be dropped.</param>
public sealed record OptimizerStepReport(int Step, double LearningRate, float GradNorm, double MeanLoss, int MicroBatches, bool Skipped);

/// <summary>
/// Gradient accumulation with the usual training-step chores: each micro-batch loss is back-propagated as
/// loss/k (the backward seed is 1/k, so gradients, which accumulate across backward calls, sum to the mean
/// over the k micro-batches); every k-th call sets the learning rate from the schedule, clips the global
/// gradient norm, steps the optimizer and clears the gradients.
/// A non-finite loss or gradient throws <see cref="NonFiniteException"/> before any parameter changes; with
/// <c>skipNonFinite</c> the whole accumulation window is dropped instead and counted in <see cref="SkippedSteps"/>.
/// </summary>
public sealed class GradientAccumulator
{
    private readonly AdamW optimizer;
    private readonly ILrSchedule? schedule;
    private readonly double? maxGradNorm;
    private readonly bool skipNonFinite;
    private double lossSum;

    public GradientAccumulator(AdamW optimizer, int accumulationSteps = 1, ILrSchedule? schedule = null, double? maxGradNorm = null, bool skipNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (accumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(accumulationSteps), $"accumulation steps must be ≥ 1, got {accumulationSteps}");
        if (maxGradNorm is { } m && !(m > 0)) throw new ArgumentOutOfRangeException(nameof(maxGradNorm), $"max grad norm must be > 0, got {m}");
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        this.skipNonFinite = skipNonFinite;
        AccumulationSteps = accumulationSteps;
    }

    /// <summary>k: micro-batches per optimizer step.</summary>
    public int AccumulationSteps { get; }

    /// <summary>Micro-batches back-propagated since the last optimizer step.</summary>
    public int Pending { get; private set; }

    /// <summary>Windows dropped because of a non-finite loss or gradient (only with <c>skipNonFinite</c>).</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>
    /// Back-propagates <paramref name="loss"/> (a one-element tensor) scaled by 1/k. Returns the step report
    /// when this micro-batch completed a window, else null.
    /// </summary>
    public OptimizerStepReport? Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var value = loss.Item();
        if (!float.IsFinite(value))
        {
            var message = $"loss is {value} at micro-batch {Pending + 1} of optimizer step {optimizer.Steps + 1}";
            if (!skipNonFinite) throw new NonFiniteException(message, ["loss"]);
            return Skip(float.NaN, Pending + 1);
        }
        loss.Backward([1f / AccumulationSteps]);
        lossSum += value;
        Pending++;
        return Pending >= AccumulationSteps ? StepNow() : null;
    }

    /// <summary>
    /// Steps on an incomplete window (end of an epoch): the gradients are rescaled by k/pending so they are the
    /// mean over the micro-batches actually seen. Returns null when nothing is pending.
    /// </summary>
    public OptimizerStepReport? Flush()
    {
        if (Pending == 0) return null;
        if (Pending < AccumulationSteps)
        {
            var scale = (float)AccumulationSteps / Pending;
            foreach (var (_, p) in optimizer.Parameters)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g, scale, g);
        }
        return StepNow();
    }

    private OptimizerStepReport StepNow()
    {
        var parameters = optimizer.Parameters.Select(p => p.Value).ToList();
        var norm = maxGradNorm is { } max ? GradClip.ClipGradNorm(parameters, max) : GradClip.TotalNorm(parameters);
        if (!float.IsFinite(norm) && skipNonFinite) return Skip(norm, Pending);
        if (schedule is not null) optimizer.LearningRate = schedule.LearningRate(optimizer.Steps);
        try
        {
            optimizer.Step();
        }
        catch (NonFiniteException)
        {
            // The window is unusable; clear it so a caller that catches and continues starts a fresh one.
            Reset();
            throw;
        }
        var report = new OptimizerStepReport(optimizer.Steps, optimizer.LearningRate, norm, lossSum / Pending, Pending, false);
        Reset();
        return report;
    }

    private OptimizerStepReport Skip(float norm, int microBatches)
    {
        SkippedSteps++;
        var report = new OptimizerStepReport(optimizer.Steps, optimizer.LearningRate, norm, double.NaN, microBatches, true);
        Reset();
        return report;
    }

    private void Reset()
    {
        optimizer.ZeroGrad();
        Pending = 0;
        lossSum = 0;
    }
}
