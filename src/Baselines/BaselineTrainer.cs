using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Input;

namespace CogLtx.Baselines;

/// <summary>
/// Fine-tunes a <see cref="LongTextBaseline"/> with CogLTX's reasoner recipe (spec §5.6/§9.8): AdamW (biases and
/// LayerNorm weights without decay), the paper's schedule over all optimizer steps (<see cref="LrSchedules.CogLtxPaper"/>),
/// gradient accumulation (each micro-batch's mean loss weighted by its share of the step's examples, so a step
/// averages over examples) and global-norm clipping. Each epoch visits the examples in an order shuffled by a seeded
/// <see cref="Rng"/>. The steps run on the project's one step loop (<see cref="TrainingLoop"/>), as CogLTX's do. With a
/// checkpoint root the model, optimizer moments, random streams and position are saved (<see cref="CheckpointStore"/>,
/// in <c>root/checkpoint</c>) at every epoch end and every <see cref="BaselineTrainingOptions.CheckpointEverySteps"/>,
/// and a new trainer on the same root continues from there with the numbers an uninterrupted run would produce.
/// </summary>
public sealed class BaselineTrainer
{
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "adamw.safetensors";
    private const string StateFile = "state.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly LongTextBaseline baseline;
    private readonly BaselineTrainingOptions options;
    private readonly string? checkpointRoot;
    private readonly AdamW optimizer;

    /// <param name="checkpointRoot">Folder whose <c>checkpoint</c> sub-folder holds the checkpoint (null: none are written).</param>
    public BaselineTrainer(LongTextBaseline baseline, BaselineTrainingOptions options, string? checkpointRoot = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        this.baseline = baseline;
        this.options = options.Validate();
        this.checkpointRoot = checkpointRoot;
        optimizer = new AdamW(AdamW.DecayGroups(baseline.Model.NamedParameters(), options.WeightDecay), options.LearningRate);
    }

    /// <summary>
    /// Trains on the examples of <paramref name="train"/> that have a target, resuming from the checkpoint root when
    /// it holds a complete checkpoint of this data. Cancellation is observed between micro-batches; the model is left
    /// in training mode. A non-finite loss or gradient throws <see cref="TrainingDivergedException"/>.
    /// </summary>
    /// <param name="epochEnded">
    /// Called after each epoch, before that epoch's checkpoint is written, with the epoch (0-based) and the run's
    /// optimizer steps so far (e.g. to score a validation split; it may switch the model to eval mode and must not draw
    /// from its dropout stream; training mode is restored after it). A run interrupted after the call and before the
    /// checkpoint repeats the end of the epoch on resume and calls it again.
    /// </param>
    public BaselineTrainingResult Train(IReadOnlyList<BaselineExample> train, IProgress<BaselineTrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        Action<int, int>? epochEnded = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var examples = train.Where(e => e.HasTarget(baseline.IsSpanQa)).ToList();
        if (examples.Count == 0) throw new ArgumentException($"{baseline.Name}: none of the {train.Count} training examples has a target", nameof(train));
        var stepsPerEpoch = TrainingLoop.StepsFor((examples.Count + options.BatchSize - 1) / options.BatchSize, options.AccumulationSteps);
        var schedule = LrSchedules.CogLtxPaper(options.LearningRate, stepsPerEpoch * options.Epochs, options.WarmupFraction, options.FinalLearningRateFraction);
        var loop = new TrainingLoop(baseline.Model.Parameters(), optimizer, schedule, options.AccumulationSteps, options.MaxGradNorm, options.CheckpointEverySteps);
        var orderRng = new Rng(options.Seed);
        var state = new TrainerState { ExampleCount = examples.Count, OrderRng = orderRng.State, DropoutRng = baseline.DropoutRng?.State ?? [] };
        int? resumedAt = null;
        if (TryRestore(examples.Count, out var restored))
        {
            state = restored;
            resumedAt = state.TotalSteps;
        }
        baseline.Model.Train();
        while (state.Epoch < options.Epochs)
        {
            orderRng.State = state.OrderRng;
            var order = Enumerable.Range(0, examples.Count).ToList();
            orderRng.Shuffle(order);
            loop.RunPass(order.Chunk(options.BatchSize).ToList(), state.EpochStep, state.TotalSteps,
                indices => baseline.MicroBatch([.. indices.Select(i => examples[i])]),
                step =>
                {
                    state.EpochStep = step.Step;
                    state.TotalSteps = step.TotalSteps;
                    state.Curve.Add(new LossPoint(step.TotalSteps, step.Loss));
                    progress?.Report(new BaselineTrainingProgress(state.Epoch, options.Epochs, step.Step, step.Steps, step.Loss, step.LearningRate, step.TotalSteps));
                },
                () => Save(state),
                $"{baseline.Name}: epoch {state.Epoch},", cancellationToken);
            if (epochEnded is not null)
            {
                epochEnded(state.Epoch, state.TotalSteps);
                baseline.Model.Train();
            }
            state.Epoch++;
            state.EpochStep = 0;
            state.OrderRng = orderRng.State;
            Save(state);
        }
        return new BaselineTrainingResult(state.TotalSteps, [.. state.Curve], train.Count - examples.Count, resumedAt);
    }

    private void Save(TrainerState state)
    {
        if (checkpointRoot is null) return;
        state.DropoutRng = baseline.DropoutRng?.State ?? [];
        CheckpointStore.Save(checkpointRoot, dir =>
        {
            baseline.Model.SaveCheckpoint(Path.Combine(dir, ModelFile));
            optimizer.SaveState(Path.Combine(dir, OptimizerFile));
            File.WriteAllText(Path.Combine(dir, StateFile), JsonSerializer.Serialize(state, Json));
        });
    }

    private bool TryRestore(int exampleCount, out TrainerState state)
    {
        state = new TrainerState();
        if (checkpointRoot is null || CheckpointStore.Find(checkpointRoot) is not { } dir) return false;
        var statePath = Path.Combine(dir, StateFile);
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(Utf8Input.ReadFile(statePath), Json)
                ?? throw new InvalidDataException($"{statePath}: empty training state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{statePath}: not a valid baseline training state: {e.Message}", e);
        }
        if (state.ExampleCount != exampleCount)
            throw new InvalidDataException($"{statePath}: the checkpoint was trained on {state.ExampleCount} examples, the data given now have {exampleCount}; delete {dir} to start over");
        baseline.Model.LoadCheckpoint(Path.Combine(dir, ModelFile));
        optimizer.LoadState(Path.Combine(dir, OptimizerFile));
        if (baseline.DropoutRng is { } rng && state.DropoutRng.Length == 4) rng.State = state.DropoutRng;
        return true;
    }

    /// <summary>Where training stands: epoch, step within it, the order stream at the epoch's start, the curve so far.</summary>
    private sealed class TrainerState
    {
        public int ExampleCount { get; set; }

        public int Epoch { get; set; }

        public int EpochStep { get; set; }

        public int TotalSteps { get; set; }

        /// <summary>The order generator's state before this epoch's shuffle.</summary>
        public ulong[] OrderRng { get; set; } = [];

        public ulong[] DropoutRng { get; set; } = [];

        public List<LossPoint> Curve { get; set; } = [];
    }
}
