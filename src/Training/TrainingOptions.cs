using System.Text.Json.Serialization;
using CogLtx.Training.Samplers;

namespace CogLtx.Training;

/// <summary>Where block relevance labels come from during training (spec §5.1, §5.4, §5.5).</summary>
public enum RelevanceSource
{
    /// <summary>The data's labels (supporting facts, evidence spans), fixed during training.</summary>
    Supervised,

    /// <summary>
    /// No labels: document relevance starts at 0 (or from <see cref="TrainingOptions.InitRelevance"/>) and is relabelled
    /// by interventions (spec §5.4). For span QA the blocks carrying the answer stay relevant: the answer itself is a
    /// label every QA example has (NewsQA marks its line relevant, spec §7), only the supporting evidence is latent.
    /// </summary>
    Latent,
}

/// <summary>How relevance is initialised before training in <see cref="RelevanceSource.Latent"/> mode (spec §5.5).</summary>
public enum RelevanceInit
{
    /// <summary>No initialisation.</summary>
    None,

    /// <summary>BM25 of the query words over the document's blocks: blocks scoring above 0.85·max become relevant.</summary>
    Bm25,
}

/// <summary>How intervention losses are computed (spec §5.4, §9.6).</summary>
public enum InterventionMode
{
    /// <summary>Both ℓ and ℓ₋b in eval mode (dropout off), under no-grad (spec §9.6 recommendation).</summary>
    Eval,

    /// <summary>The reference: ℓ is the training forward's loss (dropout on) and ℓ₋b are computed in training mode.</summary>
    Reference,
}

/// <summary>
/// Joint-training hyper-parameters (spec §5.1, §5.6; defaults follow §9.8: the paper's learning rates and schedule,
/// AdamW with weight decay 0, effective batch 32 by gradient accumulation).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Outer epochs, each a judge epoch then a reasoner epoch ([P]: NewsQA 4, 20News 6, Alibaba 10).</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Inputs per forward (the reference's 4 per GPU).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Micro-batches per optimizer step: 4 × 8 = the paper's batch of 32.</summary>
    public int AccumulationSteps { get; init; } = 8;

    /// <summary>Judge peak learning rate ([P] 4e-5; the code's <c>--lr1</c> is 1e-4).</summary>
    public double JudgeLearningRate { get; init; } = 4e-5;

    /// <summary>Reasoner peak learning rate ([P] and code 1e-4).</summary>
    public double ReasonerLearningRate { get; init; } = 1e-4;

    /// <summary>Warm-up share of all optimizer steps (linear from 0).</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>The learning rate decays linearly to this fraction of the peak at the last step ([P] 0.1).</summary>
    public double FinalLearningRateFraction { get; init; } = 0.1;

    /// <summary>AdamW weight decay (reference 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Global gradient-norm clip; 0 disables (the reference does not clip; 1.0 is the transformers default).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Where relevance labels come from.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<RelevanceSource>))]
    public RelevanceSource Relevance { get; init; } = RelevanceSource.Supervised;

    /// <summary>How relevance is initialised in latent mode.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<RelevanceInit>))]
    public RelevanceInit InitRelevance { get; init; } = RelevanceInit.None;

    /// <summary>How intervention losses are computed.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<InterventionMode>))]
    public InterventionMode Intervention { get; init; } = InterventionMode.Eval;

    /// <summary>Judge inputs capped at 8 blocks as in the reference (default, spec §5.2) or filled by tokens.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<JudgeSamplingMode>))]
    public JudgeSamplingMode JudgeSampling { get; init; } = JudgeSamplingMode.Reference;

    /// <summary>Judge token labels of query tokens: 1 ([P] Eq. 4, spec §9.9) or, when false, the query's relevance as in the reference.</summary>
    public bool LabelQueryTokens { get; init; } = true;

    /// <summary>Seed of sampling, shuffling, dropout and fresh initialisation.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Write a checkpoint every this many optimizer steps (and at the end of every phase); 0 = phase ends only.</summary>
    public int CheckpointEverySteps { get; init; } = 50;

    /// <summary>Stop after this many optimizer steps in total (judge + reasoner), checkpointing there; 0 = run all epochs.</summary>
    public int StopAfterSteps { get; init; }

    /// <summary>Throws naming the first invalid setting.</summary>
    public TrainingOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"{nameof(Epochs)} must be ≥ 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"{nameof(BatchSize)} must be ≥ 1, got {BatchSize}");
        if (AccumulationSteps < 1) throw new ArgumentException($"{nameof(AccumulationSteps)} must be ≥ 1, got {AccumulationSteps}");
        if (!(JudgeLearningRate > 0) || !(ReasonerLearningRate > 0))
            throw new ArgumentException($"learning rates must be > 0, got judge {JudgeLearningRate}, reasoner {ReasonerLearningRate}");
        if (WarmupFraction is < 0 or > 1) throw new ArgumentException($"{nameof(WarmupFraction)} must be in [0, 1], got {WarmupFraction}");
        if (FinalLearningRateFraction is < 0 or > 1) throw new ArgumentException($"{nameof(FinalLearningRateFraction)} must be in [0, 1], got {FinalLearningRateFraction}");
        if (WeightDecay < 0) throw new ArgumentException($"{nameof(WeightDecay)} must be ≥ 0, got {WeightDecay}");
        if (MaxGradNorm < 0) throw new ArgumentException($"{nameof(MaxGradNorm)} must be ≥ 0 (0 disables clipping), got {MaxGradNorm}");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"{nameof(CheckpointEverySteps)} must be ≥ 0, got {CheckpointEverySteps}");
        if (StopAfterSteps < 0) throw new ArgumentException($"{nameof(StopAfterSteps)} must be ≥ 0, got {StopAfterSteps}");
        return this;
    }
}
