namespace CogLtx.Baselines;

/// <summary>
/// Fine-tuning hyper-parameters of a baseline. The experiment runner fills them from the same settings as CogLTX's
/// reasoner (spec §5.6/§9.8: AdamW, 10% linear warm-up, linear decay to 0.1·peak per optimizer step, gradient
/// accumulation and clipping) so that every method gets the same optimizer, schedule, seed and number of epochs.
/// </summary>
public sealed record BaselineTrainingOptions
{
    /// <summary>Passes over the training examples.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Examples per forward (a sliding-window example contributes all its windows).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Micro-batches per optimizer step.</summary>
    public int AccumulationSteps { get; init; } = 8;

    /// <summary>Peak learning rate (CogLTX's reasoner: 1e-4).</summary>
    public double LearningRate { get; init; } = 1e-4;

    public double WarmupFraction { get; init; } = 0.1;

    public double FinalLearningRateFraction { get; init; } = 0.1;

    public double WeightDecay { get; init; }

    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of the example order.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Also checkpoint every this many optimizer steps (0: at the end of every epoch only).</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Throws naming the first invalid setting.</summary>
    public BaselineTrainingOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"{nameof(Epochs)} must be ≥ 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"{nameof(BatchSize)} must be ≥ 1, got {BatchSize}");
        if (AccumulationSteps < 1) throw new ArgumentException($"{nameof(AccumulationSteps)} must be ≥ 1, got {AccumulationSteps}");
        if (!(LearningRate > 0)) throw new ArgumentException($"{nameof(LearningRate)} must be > 0, got {LearningRate}");
        if (WarmupFraction is < 0 or > 1) throw new ArgumentException($"{nameof(WarmupFraction)} must be in [0, 1], got {WarmupFraction}");
        if (FinalLearningRateFraction is < 0 or > 1) throw new ArgumentException($"{nameof(FinalLearningRateFraction)} must be in [0, 1], got {FinalLearningRateFraction}");
        if (WeightDecay < 0) throw new ArgumentException($"{nameof(WeightDecay)} must be ≥ 0, got {WeightDecay}");
        if (MaxGradNorm < 0) throw new ArgumentException($"{nameof(MaxGradNorm)} must be ≥ 0 (0 disables clipping), got {MaxGradNorm}");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"{nameof(CheckpointEverySteps)} must be ≥ 0, got {CheckpointEverySteps}");
        return this;
    }
}

/// <summary>Progress of baseline training, reported after every optimizer step.</summary>
public sealed record BaselineTrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double LearningRate, int TotalSteps);

/// <summary>One optimizer step's mean training loss.</summary>
public readonly record struct LossPoint(int Step, double Loss);

/// <summary>What <see cref="BaselineTrainer.Train"/> did.</summary>
/// <param name="Steps">Optimizer steps taken in total (a resumed run counts the earlier ones too).</param>
/// <param name="Curve">Mean loss of every optimizer step.</param>
/// <param name="SkippedExamples">Examples without a target (no located answer, no label), left out.</param>
/// <param name="ResumedAtStep">The step a checkpoint was resumed from, or null for a fresh run.</param>
public sealed record BaselineTrainingResult(int Steps, IReadOnlyList<LossPoint> Curve, int SkippedExamples, int? ResumedAtStep);
