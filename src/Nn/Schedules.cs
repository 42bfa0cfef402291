namespace CogLtx.Nn;

/// <summary>
/// A learning-rate schedule. <c>step</c> in <see cref="LearningRate"/> is the number of optimizer
/// steps already taken, so the first optimizer step uses <c>LearningRate(0)</c>: the same indexing as a torch
/// LR scheduler constructed before training and stepped after every <c>optimizer.step()</c>.
/// </summary>
public interface ILrSchedule
{
    /// <summary>Learning rate of the optimizer step taken after <c>step</c> steps.</summary>
    double LearningRate(int step);
}

/// <summary>A fixed learning rate.</summary>
public sealed class ConstantSchedule(double learningRate) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(int step) => learningRate;
}

/// <summary>
/// Linear warm-up from <c>initialLr</c> to <c>peakLr</c> over <c>warmupSteps</c>,
/// then linear change to <c>finalLr</c> at <c>totalSteps</c>, then flat at <c>finalLr</c>:
/// <code>
/// lr(k) = initial + (peak − initial)·k/warmup                          k &lt; warmup
///       = peak + (final − peak)·(k − warmup)/(total − warmup)         warmup ≤ k &lt; total
///       = final                                                        k ≥ total
/// </code>
/// With initial = final = 0 this is transformers' <c>get_linear_schedule_with_warmup</c>
/// (optimization.py, <c>_get_linear_schedule_with_warmup_lr_lambda</c>) times the base lr.
/// </summary>
public sealed class WarmupLinearSchedule : ILrSchedule
{
    /// <summary>Linear warmup from <paramref name="initialLr"/> to <paramref name="peakLr"/> over <paramref name="warmupSteps"/>, then linear change to <paramref name="finalLr"/> at <paramref name="totalSteps"/>, flat after.</summary>
    public WarmupLinearSchedule(double peakLr, int warmupSteps, int totalSteps, double initialLr = 0, double finalLr = 0)
    {
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"warm-up steps must be ≥ 0, got {warmupSteps}");
        if (totalSteps < warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), $"total steps ({totalSteps}) must be ≥ warm-up steps ({warmupSteps})");
        PeakLr = peakLr;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        InitialLr = initialLr;
        FinalLr = finalLr;
    }

    /// <summary>Learning rate at the end of the warmup.</summary>
    public double PeakLr { get; }
    /// <summary>Steps of the warmup.</summary>
    public int WarmupSteps { get; }
    /// <summary>Step at which the decay reaches <see cref="FinalLr"/>.</summary>
    public int TotalSteps { get; }
    /// <summary>Learning rate of step 0.</summary>
    public double InitialLr { get; }
    /// <summary>Learning rate from <see cref="TotalSteps"/> on.</summary>
    public double FinalLr { get; }

    /// <inheritdoc/>
    public double LearningRate(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"step must be ≥ 0, got {step}");
        if (step < WarmupSteps) return InitialLr + (PeakLr - InitialLr) * step / WarmupSteps;
        if (step >= TotalSteps) return FinalLr;
        return PeakLr + (FinalLr - PeakLr) * (step - WarmupSteps) / (TotalSteps - WarmupSteps);
    }
}

/// <summary>The schedules used by CogLtx experiments.</summary>
public static class LrSchedules
{
    /// <summary>transformers' <c>get_linear_schedule_with_warmup</c>: 0 → lr over the warm-up, then linearly to 0 at total.</summary>
    public static ILrSchedule LinearWithWarmup(double peakLr, int warmupSteps, int totalSteps) =>
        new WarmupLinearSchedule(peakLr, warmupSteps, totalSteps);

    /// <summary>
    /// The CogLTX paper's schedule (spec §5.6, recommendation §9.8): linear warm-up over the first
    /// 10% of the optimizer steps, then linear decay to 0.1·max at the last step. The warm-up starts at 0 as in
    /// transformers (the paper does not give a start value).
    /// </summary>
    public static ILrSchedule CogLtxPaper(double peakLr, int totalSteps, double warmupFraction = 0.1, double finalFraction = 0.1)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"total steps must be > 0, got {totalSteps}");
        if (!(warmupFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(warmupFraction), $"warm-up fraction must be in [0, 1], got {warmupFraction}");
        return new WarmupLinearSchedule(peakLr, (int)Math.Round(warmupFraction * totalSteps), totalSteps, 0, finalFraction * peakLr);
    }

    /// <summary>
    /// The released CogLTX code's schedule (spec §5.6): 1e-5 → peak over the first 10% of
    /// <paramref name="stepSize"/> (default 20000) steps, back to 1e-5 at <paramref name="stepSize"/>, then flat.
    /// Kept for reproducing the reference runs; <see cref="CogLtxPaper"/> is the default.
    /// </summary>
    public static ILrSchedule CogLtxReferenceCode(double peakLr, int stepSize = 20000, double floorLr = 1e-5) =>
        new WarmupLinearSchedule(peakLr, stepSize / 10, stepSize, floorLr, floorLr);
}
