using System.Text.Json.Serialization;

namespace CogLtx.Training;

/// <summary>The two halves of an outer epoch (spec §5.1).</summary>
public enum TrainingPhase
{
    /// <summary>Training the judge.</summary>
    Judge,
    /// <summary>Training the reasoner.</summary>
    Reasoner,
}

/// <summary>Progress of joint training, reported after every optimizer step.</summary>
/// <param name="Epoch">0-based outer epoch.</param>
/// <param name="Step">Optimizer steps done in this phase (1-based after the step).</param>
/// <param name="Loss">Mean loss over the step's inputs.</param>
/// <param name="TotalSteps">Optimizer steps of both models so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, TrainingPhase Phase, int Step, int StepsInPhase, double Loss, double LearningRate, int TotalSteps);

/// <summary>
/// One finished outer epoch: mean judge and reasoner loss, how many relabellings interventions logged, and how many
/// labels changed when the log was applied (0 before <see cref="Text.Documents.CogLtxOptions.FirstRelabelEpoch"/>).
/// </summary>
public sealed record EpochSummary(int Epoch, double JudgeLoss, double ReasonerLoss, int JudgeSteps, int ReasonerSteps, int LoggedChanges, int RelabelledBlocks);

/// <summary>What <see cref="JointTrainer.Train"/> did.</summary>
/// <param name="Completed">False when it stopped at <see cref="TrainingOptions.StopAfterSteps"/>.</param>
/// <param name="SkippedExamples">Examples without a training target (no locatable answer, no label), left out.</param>
public sealed record TrainingResult(bool Completed, int TotalSteps, IReadOnlyList<EpochSummary> History, int SkippedExamples, string? CheckpointDir);

/// <summary>
/// Everything besides the weights that resuming needs to continue with the same numbers: where training stands
/// (epoch, phase, step within the phase, the phase's shuffled sample plan as block positions), the random streams,
/// every block's relevance and cached estimation, the pending intervention changes, and the loss sums. Written as
/// <c>training/state.json</c>; optimizer moments go beside it as safetensors.
/// </summary>
internal sealed record TrainingState
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public int Epoch { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter<TrainingPhase>))]
    public TrainingPhase Phase { get; set; }

    /// <summary>Optimizer steps done in the current phase.</summary>
    public int PhaseStep { get; set; }

    /// <summary>Optimizer steps of both models so far.</summary>
    public int TotalSteps { get; set; }

    /// <summary>Schedule lengths, fixed from the first epoch's sample counts (0 = not yet known).</summary>
    public int JudgeStepsPerEpoch { get; set; }

    public int ReasonerStepsPerEpoch { get; set; }

    public ulong[] SampleRng { get; set; } = [];

    public ulong[] JudgeRng { get; set; } = [];

    public ulong[] ReasonerRng { get; set; } = [];

    /// <summary>The current phase's inputs in training order, as block positions; null between phases.</summary>
    public List<long[]>? Plan { get; set; }

    public long[] BlockPositions { get; set; } = [];

    public int[] Relevance { get; set; } = [];

    public float[] Estimation { get; set; } = [];

    public long[] PendingPositions { get; set; } = [];

    public int[] PendingRelevance { get; set; } = [];

    /// <summary>Σ loss·inputs and inputs of the current phase, for the epoch mean.</summary>
    public double PhaseLossSum { get; set; }

    public int PhaseLossCount { get; set; }

    public double JudgeEpochLoss { get; set; }

    public int JudgeEpochSteps { get; set; }

    public List<EpochSummary> History { get; set; } = [];

    /// <summary>Dataset fingerprint: examples trained on and the last block position.</summary>
    public int ExampleCount { get; set; }

    public long LastPosition { get; set; }
}
