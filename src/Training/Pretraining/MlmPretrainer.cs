using System.Text.Json;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Training.Pretraining;

/// <summary>
/// Masked-LM pre-training of a <see cref="MaskedLmModel"/> (BERT §3.1 with RoBERTa's dynamic masking and full packed
/// sequences) on the project's one step loop (<see cref="TrainingLoop"/>: gradient accumulation, clipping, AdamW, the
/// schedule) and checkpoint store (<see cref="CheckpointStore"/>, in <c>root/checkpoint</c>). Each epoch visits the
/// training sequences in an order shuffled by a seeded <see cref="Rng"/>; each visit draws a fresh mask from
/// <see cref="MlmMasker.StreamFor"/>(seed, epoch, sequence). The loss is computed at the masked positions only
/// (<see cref="MaskedLmModel.ForwardAt"/>). A checkpoint holds the model, the optimizer moments, the order and dropout
/// streams, the position and both curves, so a new trainer on the same root continues with the numbers an uninterrupted
/// run would produce.
/// </summary>
public sealed class MlmPretrainer
{
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "adamw.safetensors";
    private const string StateFile = "state.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly MaskedLmModel model;
    private readonly MlmMasker masker;
    private readonly PretrainOptions options;
    private readonly string checkpointRoot;
    private readonly AdamW optimizer;
    private readonly IReadOnlyList<Tensor> trainable;

    /// <summary>A pre-training run of <paramref name="model"/> that checkpoints under <paramref name="checkpointRoot"/> and resumes from it.</summary>
    public MlmPretrainer(MaskedLmModel model, MlmMasker masker, PretrainOptions options, string checkpointRoot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(checkpointRoot);
        this.model = model;
        this.masker = masker;
        this.options = options.Validate();
        this.checkpointRoot = checkpointRoot;
        var named = options.FreezeEncoder ? model.HeadParameters() : model.NamedParameters();
        trainable = [.. named.Select(p => p.Value)];
        optimizer = new AdamW(AdamW.DecayGroups(named, options.WeightDecay), options.LearningRate);
    }

    /// <summary>Optimizer steps of the whole run for <paramref name="trainSequences"/> training sequences.</summary>
    public int TotalSteps(int trainSequences) => options.Steps is { } steps
        ? steps
        : options.Epochs * TrainingLoop.StepsFor((trainSequences + options.BatchSize - 1) / options.BatchSize, options.AccumulationSteps);

    /// <summary>
    /// Trains (or resumes) for the configured epochs over the packed corpus, scoring the held-out split periodically;
    /// cancellation is observed between micro-batches and the last checkpoint stays valid. With
    /// <see cref="PretrainOptions.FreezeEncoder"/> the other parameters record no gradient during the run (so the encoder's
    /// backward is not computed), and are left as they were.
    /// </summary>
    public PretrainResult Train(PackedCorpus corpus, IProgress<PretrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var trained = trainable.ToHashSet(ReferenceEqualityComparer.Instance);
        var frozen = model.Parameters().Where(p => p.RequiresGrad && !trained.Contains(p)).ToList();
        foreach (var p in frozen) p.RequiresGrad = false;
        try
        {
            return TrainAll(corpus, progress, cancellationToken);
        }
        finally
        {
            foreach (var p in frozen) p.RequiresGrad = true;
        }
    }

    private PretrainResult TrainAll(PackedCorpus corpus, IProgress<PretrainProgress>? progress, CancellationToken cancellationToken)
    {
        var sequences = corpus.Train;
        if (sequences[0].Ids.Length != options.MaxLength)
            throw new ArgumentException($"the corpus was packed into {sequences[0].Ids.Length}-token sequences, the options ask for {options.MaxLength}");
        if (options.MaxLength > model.Config.MaxLength)
            throw new ArgumentException($"sequences of {options.MaxLength} tokens exceed the model's {model.Config.MaxLength} positions");
        var budget = TotalSteps(sequences.Count);
        var schedule = LrSchedules.LinearWithWarmup(options.LearningRate, (int)Math.Round(options.WarmupFraction * budget), budget);
        var stopAt = options.StopAfterSteps > 0 ? Math.Min(options.StopAfterSteps, budget) : budget;
        var loop = new TrainingLoop(trainable, optimizer, schedule, options.AccumulationSteps, options.MaxGradNorm, options.CheckpointEverySteps, stopAt);
        var heldOut = new HeldOutEvaluation(corpus.HeldOut, masker, options.Seed, options.EvalSequences, options.BatchSize);
        var orderRng = new Rng(options.Seed);
        var state = new PretrainState
        {
            CorpusChecksum = corpus.Checksum, TrainSequences = sequences.Count, OrderRng = orderRng.State, DropoutRng = model.DropoutRng.State,
        };
        int? resumedAt = null;
        if (TryRestore(corpus, out var restored))
        {
            state = restored;
            resumedAt = state.TotalSteps;
        }
        else Evaluate(state, heldOut, progress, budget);

        model.Train();
        while (state.TotalSteps < stopAt)
        {
            orderRng.State = state.OrderRng;
            var order = Enumerable.Range(0, sequences.Count).ToList();
            orderRng.Shuffle(order);
            var epoch = state.Epoch;
            var passEnded = loop.RunPass(order.Chunk(options.BatchSize).ToList(), state.EpochStep, state.TotalSteps,
                indices => MicroBatch(sequences, indices, epoch),
                step =>
                {
                    state.EpochStep = step.Step;
                    state.TotalSteps = step.TotalSteps;
                    state.Train.Add(new TrainPoint(step.TotalSteps, step.Loss, step.LearningRate));
                    progress?.Report(new PretrainProgress(step.TotalSteps, budget, epoch, step.Loss, step.LearningRate, null));
                    var evalDue = options.EvalEverySteps > 0 && step.TotalSteps % options.EvalEverySteps == 0;
                    if (evalDue || step.TotalSteps == budget) Evaluate(state, heldOut, progress, budget);
                },
                () => Save(state),
                $"pretrain: epoch {epoch},", cancellationToken);
            if (!passEnded) break;
            state.Epoch++;
            state.EpochStep = 0;
            state.OrderRng = orderRng.State;
            if (state.TotalSteps < budget && loop.StopsAt(state.TotalSteps)) { Save(state); break; }
            if (state.TotalSteps >= budget) break;
            Save(state);
        }
        if (state.TotalSteps >= budget && (state.HeldOut.Count == 0 || state.HeldOut[^1].Step != state.TotalSteps))
            Evaluate(state, heldOut, progress, budget);
        Save(state);
        return new PretrainResult(state.TotalSteps >= budget, budget, state.TotalSteps, [.. state.Train], [.. state.HeldOut],
            heldOut.UnigramLoss(corpus.TrainTokenCounts), sequences.Count, corpus.HeldOut.Count, resumedAt);
    }

    private MicroBatchLoss MicroBatch(IReadOnlyList<PackedSequence> sequences, int[] indices, int epoch)
    {
        var chosen = indices.Select(i => sequences[i]).ToList();
        var masked = indices.Select(i => masker.Mask(sequences[i].Ids, sequences[i].AttentionMask, sequences[i].WordStarts,
            MlmMasker.StreamFor(options.Seed, epoch, i))).ToList();
        var batch = MlmBatch.Build(chosen, masked);
        return new MicroBatchLoss(Ops.CrossEntropy(model.ForwardAt(batch.Input, batch.Positions), batch.Labels));
    }

    private void Evaluate(PretrainState state, HeldOutEvaluation heldOut, IProgress<PretrainProgress>? progress, int budget)
    {
        var point = heldOut.Evaluate(model, state.TotalSteps);
        state.HeldOut.Add(point);
        var last = state.Train.Count > 0 ? state.Train[^1] : null;
        progress?.Report(new PretrainProgress(state.TotalSteps, budget, state.Epoch, last?.Loss ?? double.NaN, last?.LearningRate ?? 0, point));
    }

    private void Save(PretrainState state)
    {
        state.DropoutRng = model.DropoutRng.State;
        CheckpointStore.Save(checkpointRoot, dir =>
        {
            model.SaveCheckpoint(Path.Combine(dir, ModelFile));
            optimizer.SaveState(Path.Combine(dir, OptimizerFile));
            File.WriteAllText(Path.Combine(dir, StateFile), JsonSerializer.Serialize(state, Json));
        });
    }

    private bool TryRestore(PackedCorpus corpus, out PretrainState state)
    {
        state = new PretrainState();
        if (CheckpointStore.Find(checkpointRoot) is not { } dir) return false;
        var statePath = Path.Combine(dir, StateFile);
        try
        {
            state = JsonSerializer.Deserialize<PretrainState>(File.ReadAllText(statePath), Json)
                ?? throw new InvalidDataException($"{statePath}: empty pre-training state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{statePath}: not a valid pre-training state: {e.Message}", e);
        }
        if (state.CorpusChecksum != corpus.Checksum || state.TrainSequences != corpus.Train.Count)
            throw new InvalidDataException(
                $"{statePath}: the checkpoint was trained on another corpus ({state.TrainSequences} training sequences, checksum {state.CorpusChecksum:x16}; "
                + $"now {corpus.Train.Count}, {corpus.Checksum:x16}); delete {dir} to start over");
        if (state.OrderRng.Length != 4 || state.DropoutRng.Length != 4)
            throw new InvalidDataException($"{statePath}: the order and dropout generator states must have 4 words each");
        model.LoadCheckpoint(Path.Combine(dir, ModelFile));
        optimizer.LoadState(Path.Combine(dir, OptimizerFile));
        model.DropoutRng.State = state.DropoutRng;
        return true;
    }
}
