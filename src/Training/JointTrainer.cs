using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Relevance;
using CogLtx.Training.Samplers;

namespace CogLtx.Training;

/// <summary>
/// Joint training of judge and reasoner (spec §5.1; paper Algorithm 1; main_loop.py): every outer epoch trains the
/// judge for one epoch on §5.2 samples (or token-filled ones, <see cref="TrainingOptions.JudgeSampling"/>) while
/// caching each block's score, then the reasoner for one epoch on §5.3 samples
/// built from those cached scores; with latent relevance, interventions (§5.4) log relabellings that are applied after
/// the reasoner epoch from <see cref="CogLtxOptions.FirstRelabelEpoch"/> on. Each model has its own AdamW (weight decay
/// per <see cref="TrainingOptions.WeightDecay"/>) and the paper's schedule (§5.6/§9.8: 10% warm-up, linear decay to
/// 0.1·max, stepped per optimizer step); both phases run on the project's one step loop (<see cref="TrainingLoop"/>:
/// gradient accumulation, clipping, checkpoints every N steps). A non-finite loss or gradient stops training with
/// <see cref="TrainingDivergedException"/> before any parameter changes.
/// Checkpoints (<see cref="CheckpointStore"/>) hold both models, optimizer and schedule state, relevance
/// labels, estimations, random streams and the position in the sample plan, so a resumed run continues with exactly
/// the numbers an uninterrupted run would produce.
/// </summary>
public sealed partial class JointTrainer
{
    private readonly CogLtxModels models;
    private readonly TrainingOptions options;
    private readonly List<CogLtxExample> examples;
    private readonly Dictionary<long, Block> blocks = [];
    private readonly AdamW judgeOptimizer;
    private readonly AdamW reasonerOptimizer;
    private readonly Rng sampleRng;
    private readonly Intervention intervention;
    private readonly RelevanceChanges changes = new();
    private readonly string? checkpointRoot;
    private TrainingState state = new();
    private string? lastCheckpoint;

    /// <summary>
    /// A trainer starting from scratch on <paramref name="train"/> (converted with <paramref name="models"/>' tokenizer
    /// and setup). Examples without a target are left out. With <see cref="RelevanceSource.Latent"/>, document relevance
    /// is reset (answer-carrying blocks stay relevant in span QA) and optionally BM25-initialised.
    /// </summary>
    /// <param name="checkpointRoot">Folder for checkpoints (null: none are written).</param>
    public JointTrainer(CogLtxModels models, IReadOnlyList<CogLtxExample> train, TrainingOptions options, string? checkpointRoot)
        : this(models, train, options, checkpointRoot, fresh: true)
    {
    }

    private JointTrainer(CogLtxModels models, IReadOnlyList<CogLtxExample> train, TrainingOptions options, string? checkpointRoot, bool fresh)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(train);
        this.models = models;
        this.options = options.Validate();
        this.checkpointRoot = checkpointRoot;
        models.SetTrainingOptions(options);
        examples = [.. train.Where(e => e.HasTarget)];
        SkippedExamples = train.Count - examples.Count;
        if (examples.Count == 0) throw new ArgumentException($"none of the {train.Count} training examples has a target (answer located in the text, or a label)", nameof(train));
        foreach (var b in examples.SelectMany(e => e.Blocks.AllBlocks))
            if (!blocks.TryAdd(b.Position, b))
                throw new ArgumentException($"block position {b.Position} appears twice: convert the whole training set with one BlockIdCounter", nameof(train));
        sampleRng = new Rng(options.Seed);
        intervention = new Intervention(models.Options);
        judgeOptimizer = new AdamW(AdamW.DecayGroups(models.Judge.NamedParameters(), options.WeightDecay), options.JudgeLearningRate);
        reasonerOptimizer = new AdamW(AdamW.DecayGroups(models.Reasoner.NamedParameters(), options.WeightDecay), options.ReasonerLearningRate);
        state.ExampleCount = examples.Count;
        state.LastPosition = blocks.Keys.Max();
        if (fresh) InitialiseRelevance();
    }

    /// <summary>Examples left out because they have no training target.</summary>
    public int SkippedExamples { get; }

    /// <summary>The examples trained on.</summary>
    public IReadOnlyList<CogLtxExample> Examples => examples;

    /// <summary>The judge, reasoner and tokenizer being trained.</summary>
    public CogLtxModels Models => models;

    /// <summary>
    /// Resumes from the newest checkpoint under <paramref name="checkpointRoot"/>: loads the models it holds, converts
    /// the training data with them through <paramref name="convert"/> (the same data in the same order gives the same
    /// block positions; this is checked), and restores the optimizers, schedules, random streams, labels and plan.
    /// The saved options are used, except the run control: <paramref name="stopAfterSteps"/> (absolute, 0 = finish)
    /// replaces the saved <see cref="TrainingOptions.StopAfterSteps"/>.
    /// </summary>
    public static JointTrainer Resume(string checkpointRoot, Func<CogLtxModels, IReadOnlyList<CogLtxExample>> convert, int stopAfterSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(convert);
        var dir = CheckpointStore.Find(checkpointRoot)
            ?? throw new DirectoryNotFoundException($"no complete checkpoint under {checkpointRoot}");
        var models = CogLtxModels.Load(dir);
        var trainOptions = models.Manifest.Training
            ?? throw new InvalidDataException($"{dir}: the checkpoint records no training options, so it cannot be resumed");
        var trainer = new JointTrainer(models, convert(models), trainOptions with { StopAfterSteps = stopAfterSteps }, checkpointRoot, fresh: false);
        trainer.RestoreState(dir);
        return trainer;
    }

    /// <summary>
    /// Runs (or continues) training until all epochs are done or <see cref="TrainingOptions.StopAfterSteps"/> steps are
    /// reached. Cancellation is observed between micro-batches; the last checkpoint stays valid.
    /// </summary>
    /// <param name="epochEnded">
    /// Called after each epoch's reasoner phase, before that epoch's checkpoint is written, with the epoch's summary
    /// and the run's optimizer steps so far (e.g. to score a validation split; it may switch the models to eval mode,
    /// and must not draw from their random streams). A run interrupted after the call and before the checkpoint
    /// repeats the end of the epoch on resume and calls it again.
    /// </param>
    public TrainingResult Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        Action<EpochSummary, int>? epochEnded = null)
    {
        while (state.Epoch < options.Epochs)
        {
            var stopped = RunPhase(state.Phase, progress, epochEnded, cancellationToken);
            if (stopped) return new TrainingResult(false, state.TotalSteps, [.. state.History], SkippedExamples, lastCheckpoint);
        }
        return new TrainingResult(true, state.TotalSteps, [.. state.History], SkippedExamples, lastCheckpoint);
    }

    // One phase from state.PhaseStep to its end; true when StopAfterSteps was reached.
    private bool RunPhase(TrainingPhase phase, IProgress<TrainingProgress>? progress, Action<EpochSummary, int>? epochEnded, CancellationToken ct)
    {
        if (state.Plan is null) BuildPlan(phase);
        var plan = state.Plan!.Select(p => new BlockBuffer(p.Select(pos => blocks[pos]))).ToList();
        var microBatches = plan.Chunk(options.BatchSize).ToList();
        var model = phase == TrainingPhase.Judge ? (Module)models.Judge : models.Reasoner;
        var optimizer = phase == TrainingPhase.Judge ? judgeOptimizer : reasonerOptimizer;
        var loop = new TrainingLoop(model.Parameters(), optimizer, Schedule(phase), options.AccumulationSteps, options.MaxGradNorm,
            options.CheckpointEverySteps, options.StopAfterSteps);
        model.Train();
        var completed = loop.RunPass(microBatches, state.PhaseStep, state.TotalSteps,
            micro => phase == TrainingPhase.Judge ? JudgeMicroStep([.. micro.Select(b => b.Assemble())]) : ReasonerMicroStep([.. micro.Select(b => b.Assemble())]),
            step =>
            {
                state.PhaseStep = step.Step;
                state.TotalSteps = step.TotalSteps;
                state.PhaseLossSum += step.LossSum;
                state.PhaseLossCount += step.Rows;
                progress?.Report(new TrainingProgress(state.Epoch, options.Epochs, phase, step.Step, step.Steps, step.Loss, step.LearningRate, step.TotalSteps));
            },
            () => lastCheckpoint = SaveCheckpoint() ?? lastCheckpoint,
            $"epoch {state.Epoch}, {phase}", ct);
        if (!completed) return true;
        FinishPhase(phase, TrainingLoop.StepsFor(microBatches.Count, options.AccumulationSteps));
        if (phase == TrainingPhase.Reasoner) epochEnded?.Invoke(state.History[^1], state.TotalSteps);
        lastCheckpoint = SaveCheckpoint() ?? lastCheckpoint;
        return loop.StopsAt(state.TotalSteps) && state.Epoch < options.Epochs;
    }

    private void BuildPlan(TrainingPhase phase)
    {
        var sets = examples.Select(e => e.Blocks).ToList();
        var samples = phase == TrainingPhase.Reasoner ? ReasonerSamples.Build(sets, sampleRng, models.Options)
            : options.JudgeSampling == JudgeSamplingMode.TokenFilled ? TokenFilledJudgeSamples.Build(sets, sampleRng, models.Options)
            : JudgeSamples.Build(sets, sampleRng, models.Options);
        sampleRng.Shuffle(samples);
        state.Plan = [.. samples.Select(s => s.Select(b => b.Position).ToArray())];
        state.PhaseStep = 0;
        state.PhaseLossSum = 0;
        state.PhaseLossCount = 0;
        var steps = StepsFor(samples.Count);
        if (phase == TrainingPhase.Judge && state.JudgeStepsPerEpoch == 0) state.JudgeStepsPerEpoch = steps;
        if (phase == TrainingPhase.Reasoner && state.ReasonerStepsPerEpoch == 0) state.ReasonerStepsPerEpoch = steps;
    }

    private int StepsFor(int samples) =>
        Math.Max(1, TrainingLoop.StepsFor((samples + options.BatchSize - 1) / options.BatchSize, options.AccumulationSteps));

    /// <summary>The paper's schedule over all epochs of one model (§9.8), its length fixed by the first epoch's plan.</summary>
    private ILrSchedule Schedule(TrainingPhase phase)
    {
        var perEpoch = phase == TrainingPhase.Judge ? state.JudgeStepsPerEpoch : state.ReasonerStepsPerEpoch;
        var peak = phase == TrainingPhase.Judge ? options.JudgeLearningRate : options.ReasonerLearningRate;
        return LrSchedules.CogLtxPaper(peak, Math.Max(1, perEpoch * options.Epochs), options.WarmupFraction, options.FinalLearningRateFraction);
    }

    private void FinishPhase(TrainingPhase phase, int steps)
    {
        var meanLoss = state.PhaseLossCount == 0 ? double.NaN : state.PhaseLossSum / state.PhaseLossCount;
        state.Plan = null;
        state.PhaseStep = 0;
        state.PhaseLossSum = 0;
        state.PhaseLossCount = 0;
        if (phase == TrainingPhase.Judge)
        {
            state.JudgeEpochLoss = meanLoss;
            state.JudgeEpochSteps = steps;
            state.Phase = TrainingPhase.Reasoner;
            return;
        }
        var relabelled = 0;
        var logged = changes.Count;
        if (RelabelsThisEpoch) relabelled = changes.Apply();
        else changes.Clear();
        state.History.Add(new EpochSummary(state.Epoch, state.JudgeEpochLoss, meanLoss, state.JudgeEpochSteps, steps, logged, relabelled));
        state.Phase = TrainingPhase.Judge;
        state.Epoch++;
    }

    private void InitialiseRelevance()
    {
        if (options.Relevance != RelevanceSource.Latent) return;
        foreach (var e in examples)
        {
            foreach (var b in e.Blocks.DocumentBlocks)
                b.Relevance = models.Setup.Task == ReasonerTask.SpanQa && (b.AnswerStart is not null || b.AnswerEnd is not null) ? 1 : 0;
            if (options.InitRelevance == RelevanceInit.Bm25)
                RelevanceInitializer.InitBm25(e.Blocks, b => models.Tokenizer.Decode(b.Ids), null, models.Options);
        }
    }
}
