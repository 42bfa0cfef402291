using System.Text.Json.Serialization;
using CogLtx.Training;

namespace CogLtx.Experiments.Config;

/// <summary>Which data set and how much of it.</summary>
public sealed record DatasetConfig
{
    /// <summary>The data sets an experiment can name.</summary>
    public static IReadOnlyList<string> Known { get; } = [SyntheticCls, SyntheticQa, "20news", "hotpotqa", "movie-reviews", "hyperpartisan", "bbc"];

    public const string SyntheticCls = Training.Jobs.DataSpec.SyntheticCls;
    public const string SyntheticQa = Training.Jobs.DataSpec.SyntheticQa;

    /// <summary>synthetic-cls, synthetic-qa (generated, no download), or a known real data set read from the data directory.</summary>
    public string Name { get; init; } = SyntheticCls;

    /// <summary>Data directory for real data sets; null: the command's --data-dir, else COGLTX_DATA, else ./data.</summary>
    public string? DataDir { get; init; }

    /// <summary>Use at most this many training examples (a seeded random subset); null: all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use at most this many test examples (a seeded random subset); null: all.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Seed of the subsets.</summary>
    public ulong SubsetSeed { get; init; } = 1;

    /// <summary>
    /// Training examples held out as a validation split (a seeded random subset, drawn after <see cref="TrainLimit"/>;
    /// the methods train on the rest). Each method is scored on it after every epoch; 0: no validation split.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ValidationCount { get; init; }

    /// <summary>20 Newsgroups: apply CogLTX's cleaning (spec §7).</summary>
    public bool CleanNewsgroups { get; init; } = true;

    /// <summary>Generator settings for the synthetic data sets.</summary>
    public SyntheticConfig Synthetic { get; init; } = new();

    [JsonIgnore] public bool IsSynthetic => Name is SyntheticCls or SyntheticQa;

    [JsonIgnore] public bool IsSpanQa => Name is SyntheticQa or "hotpotqa";

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(Known.Contains(Name), "dataset.name", $"unknown data set \"{Name}\" (known: {string.Join(", ", Known)})");
        errors.Check(TrainLimit is null or > 0, "dataset.train_limit", $"must be > 0 or null, got {TrainLimit}");
        errors.Check(TestLimit is null or > 0, "dataset.test_limit", $"must be > 0 or null, got {TestLimit}");
        errors.Check(ValidationCount >= 0, "dataset.validation_count", $"must be ≥ 0, got {ValidationCount}");
        Synthetic.Validate(errors);
    }
}

/// <summary>Settings of <see cref="Data.SyntheticTasks"/> (see <see cref="Data.SyntheticOptions"/>).</summary>
public sealed record SyntheticConfig
{
    public int TrainCount { get; init; } = 200;
    public int TestCount { get; init; } = 100;
    public int MinTokens { get; init; } = 1_200;
    public int MaxTokens { get; init; } = 2_400;
    public double LateEvidenceFraction { get; init; } = 0.9;
    public int EvidenceSentences { get; init; } = 3;
    public int Classes { get; init; } = 4;
    public ulong Seed { get; init; } = 1;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(TrainCount > 0, "dataset.synthetic.train_count", $"must be > 0, got {TrainCount}");
        errors.Check(TestCount > 0, "dataset.synthetic.test_count", $"must be > 0, got {TestCount}");
        errors.Check(MinTokens >= 612, "dataset.synthetic.min_tokens", $"must be ≥ 612 (evidence lies past token 512), got {MinTokens}");
        errors.Check(MaxTokens >= MinTokens, "dataset.synthetic.max_tokens", $"must be ≥ min_tokens ({MinTokens}), got {MaxTokens}");
        errors.Check(LateEvidenceFraction is >= 0 and <= 1, "dataset.synthetic.late_evidence_fraction", $"must be in [0, 1], got {LateEvidenceFraction}");
        errors.Check(EvidenceSentences is >= 1 and <= 5, "dataset.synthetic.evidence_sentences", $"must be 1 to 5, got {EvidenceSentences}");
        errors.Check(Classes is >= 2 and <= Data.SyntheticTasks.MaxClasses, "dataset.synthetic.classes", $"must be 2 to {Data.SyntheticTasks.MaxClasses}, got {Classes}");
    }
}

/// <summary>The WordPiece vocabulary built from the training texts (<see cref="Data.WordPieceVocabBuilder"/>).</summary>
public sealed record VocabConfig
{
    public int MaxSize { get; init; } = 16_000;
    public int MinFrequency { get; init; } = 1;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(MaxSize >= 100, "vocab.max_size", $"must be ≥ 100, got {MaxSize}");
        errors.Check(MinFrequency >= 1, "vocab.min_frequency", $"must be ≥ 1, got {MinFrequency}");
    }
}

/// <summary>The encoder size (BERT, trained from scratch; judge, reasoner and every baseline share it).</summary>
public sealed record ModelConfig
{
    public int Layers { get; init; } = 2;
    public int Hidden { get; init; } = 128;
    public int Heads { get; init; } = 2;
    public int Intermediate { get; init; } = 512;
    public double Dropout { get; init; } = 0.1;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(Layers >= 1, "model.layers", $"must be ≥ 1, got {Layers}");
        errors.Check(Hidden >= 8, "model.hidden", $"must be ≥ 8, got {Hidden}");
        errors.Check(Heads >= 1 && Hidden % Math.Max(1, Heads) == 0, "model.heads", $"must divide hidden ({Hidden}), got {Heads}");
        errors.Check(Intermediate >= 1, "model.intermediate", $"must be ≥ 1, got {Intermediate}");
        errors.Check(Dropout is >= 0 and < 1, "model.dropout", $"must be in [0, 1), got {Dropout}");
    }
}

/// <summary>The training recipe: CogLTX's (spec §5.6) applied to the reasoner and, unchanged, to every baseline.</summary>
public sealed record TrainingConfig
{
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 4;
    public int AccumulationSteps { get; init; } = 2;
    public double JudgeLearningRate { get; init; } = 1e-3;

    /// <summary>Peak learning rate of CogLTX's reasoner and of every baseline.</summary>
    public double ReasonerLearningRate { get; init; } = 1e-3;

    public double WarmupFraction { get; init; } = 0.1;
    public double FinalLearningRateFraction { get; init; } = 0.1;
    public double WeightDecay { get; init; } = 0.01;
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Judge labels from the data (supervised) or from interventions (latent, spec §5.4).</summary>
    public RelevanceSource Relevance { get; init; } = RelevanceSource.Supervised;

    /// <summary>Latent relevance only: BM25 initialisation (spec §5.5).</summary>
    public RelevanceInit InitRelevance { get; init; } = RelevanceInit.None;

    /// <summary>Seed of initialisation (identical for CogLTX's reasoner and the baselines), dropout and data order.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Which epoch's weights each method is tested with: the last, or the best on the validation split.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EpochSelection Select { get; init; }

    /// <summary>
    /// Optimizer steps between resumption checkpoints of every method (null: 50). It does not change a method's numbers
    /// (a resumed run equals an uninterrupted one), so it is left out of the output folder's fingerprint.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CheckpointEverySteps { get; init; }

    /// <summary><see cref="CheckpointEverySteps"/> with its default applied.</summary>
    internal int CheckpointInterval => CheckpointEverySteps ?? 50;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(Epochs >= 1, "training.epochs", $"must be ≥ 1, got {Epochs}");
        errors.Check(BatchSize >= 1, "training.batch_size", $"must be ≥ 1, got {BatchSize}");
        errors.Check(AccumulationSteps >= 1, "training.accumulation_steps", $"must be ≥ 1, got {AccumulationSteps}");
        errors.Check(JudgeLearningRate > 0, "training.judge_learning_rate", $"must be > 0, got {JudgeLearningRate}");
        errors.Check(ReasonerLearningRate > 0, "training.reasoner_learning_rate", $"must be > 0, got {ReasonerLearningRate}");
        errors.Check(WarmupFraction is >= 0 and <= 1, "training.warmup_fraction", $"must be in [0, 1], got {WarmupFraction}");
        errors.Check(FinalLearningRateFraction is >= 0 and <= 1, "training.final_learning_rate_fraction", $"must be in [0, 1], got {FinalLearningRateFraction}");
        errors.Check(WeightDecay >= 0, "training.weight_decay", $"must be ≥ 0, got {WeightDecay}");
        errors.Check(MaxGradNorm >= 0, "training.max_grad_norm", $"must be ≥ 0 (0 disables clipping), got {MaxGradNorm}");
        errors.Check(CheckpointEverySteps is null or >= 1, "training.checkpoint_every_steps", $"must be ≥ 1, got {CheckpointEverySteps}");
    }
}

/// <summary>Which epoch's weights a method is tested with (<c>training.select</c>).</summary>
public enum EpochSelection
{
    /// <summary>The weights after the last epoch.</summary>
    Last,

    /// <summary>The weights after the epoch with the best headline score on the validation split (the earliest on a tie).</summary>
    BestValidation,
}

/// <summary>CogLTX-specific settings (spec §1–§3 constants; the rest stay at <see cref="Text.Documents.CogLtxOptions"/>' defaults).</summary>
public sealed record CogLtxConfig
{
    /// <summary>MemRecall strides (spec §3, "3,5").</summary>
    public IReadOnlyList<int> RecallSteps { get; init; } = [3, 5];

    /// <summary>How documents without given sentences are split: sentence (mode S) or dp (mode D, 20News).</summary>
    public Splitter.SplitMode SplitMode { get; init; } = Splitter.SplitMode.Sentence;

    /// <summary>
    /// Supporting facts from the released heuristic or the paper's top-2 fine scores (spec §9.10); null (default): as
    /// the data implies, the rule <c>cogltx train</c> follows too (<see cref="Training.Jobs.JobSetup.TaskFor"/>:
    /// the heuristic for sentences with paragraph titles, top-2 otherwise). Left out of the JSON when null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Training.Inference.SupportingFactMode? SupportingFacts { get; init; }

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(RecallSteps.Count > 0 && RecallSteps.All(s => s >= 1), "cogltx.recall_steps", $"must be a non-empty list of positive strides, got [{string.Join(", ", RecallSteps)}]");
    }
}

/// <summary>Baseline settings.</summary>
public sealed record BaselinesConfig
{
    /// <summary>
    /// Training epochs of every baseline; null: <c>training.epochs</c> × the reasoner inputs CogLTX draws per example
    /// and epoch (spec §5.3: one "promising" and one "random" sample), so each baseline takes as many optimizer steps
    /// over as many inputs as CogLTX's reasoner.
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>Input length of truncation and sliding windows (the encoder's 512).</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Head+tail truncation: tokens from the start (the rest of the budget comes from the end).</summary>
    public int HeadTokens { get; init; } = 128;

    /// <summary>Sliding windows: tokens between window starts.</summary>
    public int WindowStride { get; init; } = 256;

    /// <summary>Longformer: longest input (the document is head-truncated beyond).</summary>
    public int LongformerMaxLength { get; init; } = 4096;

    /// <summary>Longformer: full attention window (even).</summary>
    public int LongformerAttentionWindow { get; init; } = 256;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(Epochs is null or >= 1, "baselines.epochs", $"must be ≥ 1 or null, got {Epochs}");
        errors.Check(MaxLength is >= 16 and <= 512, "baselines.max_length", $"must be in [16, 512] (the encoder's positions), got {MaxLength}");
        errors.Check(HeadTokens >= 0 && HeadTokens < MaxLength, "baselines.head_tokens", $"must be in [0, max_length), got {HeadTokens}");
        errors.Check(WindowStride >= 1 && WindowStride < MaxLength, "baselines.window_stride", $"must be in [1, max_length), got {WindowStride}");
        errors.Check(LongformerMaxLength >= MaxLength, "baselines.longformer_max_length", $"must be ≥ max_length ({MaxLength}), got {LongformerMaxLength}");
        errors.Check(LongformerAttentionWindow >= 2 && LongformerAttentionWindow % 2 == 0, "baselines.longformer_attention_window", $"must be even and ≥ 2, got {LongformerAttentionWindow}");
    }
}

/// <summary>Evaluation and reporting.</summary>
public sealed record EvaluationConfig
{
    /// <summary>Documents whose tokens + 2 exceed this are "long" and reported apart (spec §6, 20News).</summary>
    public int LongThreshold { get; init; } = 512;

    /// <summary>Seed of the bootstrap intervals and permutation tests.</summary>
    public ulong BootstrapSeed { get; init; } = 7;

    /// <summary>Examples per prediction batch for the baselines.</summary>
    public int BatchSize { get; init; } = 8;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(LongThreshold >= 1, "evaluation.long_threshold", $"must be ≥ 1, got {LongThreshold}");
        errors.Check(BatchSize >= 1, "evaluation.batch_size", $"must be ≥ 1, got {BatchSize}");
    }
}

/// <summary>What <see cref="ExperimentConfig.Quick"/> shrinks to: seconds, not minutes.</summary>
public sealed record QuickConfig
{
    public int TrainExamples { get; init; } = 16;
    public int TestExamples { get; init; } = 8;
    public int MinTokens { get; init; } = 700;
    public int MaxTokens { get; init; } = 900;
    public int VocabSize { get; init; } = 2_000;
    public int Layers { get; init; } = 1;
    public int Hidden { get; init; } = 32;
    public int Heads { get; init; } = 2;
    public int Epochs { get; init; } = 1;
    public int LongformerMaxLength { get; init; } = 1024;
    public int LongformerAttentionWindow { get; init; } = 64;

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(TrainExamples >= 1, "quick_settings.train_examples", $"must be ≥ 1, got {TrainExamples}");
        errors.Check(TestExamples >= 1, "quick_settings.test_examples", $"must be ≥ 1, got {TestExamples}");
        errors.Check(MinTokens >= 612 && MaxTokens >= MinTokens, "quick_settings.min_tokens", $"need 612 ≤ min_tokens ≤ max_tokens, got {MinTokens}..{MaxTokens}");
        errors.Check(Layers >= 1 && Hidden >= 8 && Heads >= 1 && Hidden % Math.Max(1, Heads) == 0, "quick_settings.hidden", $"need layers ≥ 1 and heads dividing hidden, got {Layers}/{Hidden}/{Heads}");
        errors.Check(Epochs >= 1, "quick_settings.epochs", $"must be ≥ 1, got {Epochs}");
        errors.Check(LongformerAttentionWindow >= 2 && LongformerAttentionWindow % 2 == 0, "quick_settings.longformer_attention_window", $"must be even and ≥ 2, got {LongformerAttentionWindow}");
    }
}
