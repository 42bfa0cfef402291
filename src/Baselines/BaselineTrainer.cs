using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Baselines;

/// <summary>
/// Fine-tunes a <see cref="LongTextBaseline"/> with CogLTX's reasoner recipe (spec §5.6/§9.8): AdamW (biases and
/// LayerNorm weights without decay), the paper's schedule over all optimizer steps (<see cref="LrSchedules.CogLtxPaper"/>),
/// gradient accumulation (each micro-batch's mean loss weighted by its share of the step's examples, so a step
/// averages over examples) and global-norm clipping. Each epoch visits the examples in an order shuffled by a seeded
/// <see cref="Rng"/>. With a checkpoint folder the model, optimizer moments, random streams and position are saved
/// at every epoch end (and every <see cref="BaselineTrainingOptions.CheckpointEverySteps"/>), and a new trainer on
/// the same folder continues from there with the numbers an uninterrupted run would produce.
/// </summary>
public sealed class BaselineTrainer
{
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "adamw.safetensors";
    private const string StateFile = "state.json";
    private const string MarkerFile = "COMPLETE";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly LongTextBaseline baseline;
    private readonly BaselineTrainingOptions options;
    private readonly string? checkpointDir;
    private readonly AdamW optimizer;

    public BaselineTrainer(LongTextBaseline baseline, BaselineTrainingOptions options, string? checkpointDir = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        this.baseline = baseline;
        this.options = options.Validate();
        this.checkpointDir = checkpointDir;
        optimizer = new AdamW(AdamW.DecayGroups(baseline.Model.NamedParameters(), options.WeightDecay), options.LearningRate);
    }

    /// <summary>
    /// Trains on the examples of <paramref name="train"/> that have a target, resuming from the checkpoint folder when
    /// it holds a complete checkpoint of this data. Cancellation is observed between micro-batches; the model is left
    /// in training mode.
    /// </summary>
    public BaselineTrainingResult Train(IReadOnlyList<BaselineExample> train, IProgress<BaselineTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var examples = train.Where(e => e.HasTarget(baseline.IsSpanQa)).ToList();
        if (examples.Count == 0) throw new ArgumentException($"{baseline.Name}: none of the {train.Count} training examples has a target", nameof(train));
        var microPerEpoch = (examples.Count + options.BatchSize - 1) / options.BatchSize;
        var stepsPerEpoch = (microPerEpoch + options.AccumulationSteps - 1) / options.AccumulationSteps;
        var schedule = LrSchedules.CogLtxPaper(options.LearningRate, stepsPerEpoch * options.Epochs, options.WarmupFraction, options.FinalLearningRateFraction);
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
            var micro = order.Chunk(options.BatchSize).ToList();
            while (state.EpochStep < stepsPerEpoch)
            {
                var group = micro.Skip(state.EpochStep * options.AccumulationSteps).Take(options.AccumulationSteps).ToList();
                var rows = group.Sum(g => g.Length);
                optimizer.ZeroGrad();
                var lossSum = 0.0;
                foreach (var indices in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var loss = baseline.Loss([.. indices.Select(i => examples[i])]);
                    var value = loss.Item();
                    if (!float.IsFinite(value))
                        throw new NonFiniteException($"{baseline.Name}: epoch {state.Epoch}, step {state.EpochStep + 1}: the loss is {value}; stopping before the backward pass", ["loss"]);
                    Ops.Scale(loss, (float)indices.Length / rows).Backward();
                    lossSum += value * indices.Length;
                }
                var lr = schedule.LearningRate(optimizer.Steps);
                Step(lr);
                state.EpochStep++;
                state.TotalSteps++;
                state.Curve.Add(new LossPoint(state.TotalSteps, lossSum / rows));
                progress?.Report(new BaselineTrainingProgress(state.Epoch, options.Epochs, state.EpochStep, stepsPerEpoch, lossSum / rows, lr, state.TotalSteps));
                if (options.CheckpointEverySteps > 0 && state.TotalSteps % options.CheckpointEverySteps == 0 && state.EpochStep < stepsPerEpoch)
                    Save(state);
            }
            state.Epoch++;
            state.EpochStep = 0;
            state.OrderRng = orderRng.State;
            Save(state);
        }
        return new BaselineTrainingResult(state.TotalSteps, [.. state.Curve], train.Count - examples.Count, resumedAt);
    }

    private void Step(double lr)
    {
        var parameters = baseline.Model.Parameters();
        var norm = options.MaxGradNorm > 0 ? GradClip.ClipGradNorm(parameters, options.MaxGradNorm) : GradClip.TotalNorm(parameters);
        if (!float.IsFinite(norm)) throw new NonFiniteException($"{baseline.Name}: optimizer step {optimizer.Steps + 1}: the gradient norm is {norm}", ["gradient"]);
        optimizer.LearningRate = lr;
        optimizer.Step();
    }

    /// <summary>Writes the checkpoint into a fresh folder, marks it complete, then swaps it in.</summary>
    private void Save(TrainerState state)
    {
        if (checkpointDir is null) return;
        state.DropoutRng = baseline.DropoutRng?.State ?? [];
        var temp = checkpointDir + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        baseline.Model.SaveCheckpoint(Path.Combine(temp, ModelFile));
        optimizer.SaveState(Path.Combine(temp, OptimizerFile));
        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
        File.WriteAllText(Path.Combine(temp, MarkerFile), "");
        var old = checkpointDir + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(checkpointDir)) Directory.Move(checkpointDir, old);
        Directory.Move(temp, checkpointDir);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    private bool TryRestore(int exampleCount, out TrainerState state)
    {
        state = new TrainerState();
        if (checkpointDir is null) return false;
        var dir = new[] { checkpointDir, checkpointDir + ".old" }.FirstOrDefault(d => File.Exists(Path.Combine(d, MarkerFile)));
        if (dir is null) return false;
        var statePath = Path.Combine(dir, StateFile);
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath), Json)
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
