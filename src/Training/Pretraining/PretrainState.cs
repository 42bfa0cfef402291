namespace CogLtx.Training.Pretraining;

/// <summary>One optimizer step's mean training loss and learning rate.</summary>
public sealed record TrainPoint(int Step, double Loss, double LearningRate);

/// <summary>Where pre-training stands, saved in every checkpoint (<c>state.json</c>) beside the model and optimizer.</summary>
public sealed class PretrainState
{
    /// <summary>Checksum and sizes of the packed corpus: a resumed run must see the same one.</summary>
    public ulong CorpusChecksum { get; set; }

    /// <summary>Training sequences of the corpus the run started on (checked on resume).</summary>
    public int TrainSequences { get; set; }

    /// <summary>Current epoch (0-based).</summary>
    public int Epoch { get; set; }

    /// <summary>Optimizer steps done in the current epoch.</summary>
    public int EpochStep { get; set; }

    /// <summary>Optimizer steps done in the run.</summary>
    public int TotalSteps { get; set; }

    /// <summary>The order generator's state before this epoch's shuffle.</summary>
    public ulong[] OrderRng { get; set; } = [];

    /// <summary>Dropout stream state.</summary>
    public ulong[] DropoutRng { get; set; } = [];

    /// <summary>Training loss per step.</summary>
    public List<TrainPoint> Train { get; set; } = [];

    /// <summary>Held-out points so far.</summary>
    public List<HeldOutPoint> HeldOut { get; set; } = [];
}

/// <summary>Progress after each optimizer step (and each held-out evaluation, with <see cref="HeldOut"/> set).</summary>
public sealed record PretrainProgress(int Step, int Steps, int Epoch, double Loss, double LearningRate, HeldOutPoint? HeldOut);

/// <summary>What a pre-training run did.</summary>
/// <param name="Completed">False when it stopped early (<see cref="PretrainOptions.StopAfterSteps"/>) with a checkpoint to resume.</param>
/// <param name="UnigramLoss">The held-out unigram baseline (<see cref="HeldOutEvaluation.UnigramLoss"/>).</param>
/// <param name="ResumedAt">The step the run resumed from, or null.</param>
public sealed record PretrainResult(bool Completed, int Steps, int TotalSteps, IReadOnlyList<TrainPoint> Train, IReadOnlyList<HeldOutPoint> HeldOut,
    double UnigramLoss, int TrainSequences, int HeldOutSequences, int? ResumedAt);
