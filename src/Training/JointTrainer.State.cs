using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Text.Input;

namespace CogLtx.Training;

public sealed partial class JointTrainer
{
    private const string TrainingDir = "training";
    private const string StateFile = "state.json";
    private const string JudgeOptimizerFile = "judge-adamw.safetensors";
    private const string ReasonerOptimizerFile = "reasoner-adamw.safetensors";

    /// <summary>Writes a checkpoint of the current state atomically; returns its folder (null without a checkpoint root).</summary>
    public string? SaveCheckpoint() => checkpointRoot is null ? null : CheckpointStore.Save(checkpointRoot, WriteCheckpoint);

    /// <summary>Fills <paramref name="dir"/> with the models and the training state (used inside an atomic save).</summary>
    internal void WriteCheckpoint(string dir)
    {
        models.Save(dir);
        var training = Path.Combine(dir, TrainingDir);
        Directory.CreateDirectory(training);
        judgeOptimizer.SaveState(Path.Combine(training, JudgeOptimizerFile));
        reasonerOptimizer.SaveState(Path.Combine(training, ReasonerOptimizerFile));
        state.SampleRng = sampleRng.State;
        state.JudgeRng = models.JudgeRng.State;
        state.ReasonerRng = models.ReasonerRng.State;
        var ordered = blocks.OrderBy(p => p.Key).ToList();
        state.BlockPositions = [.. ordered.Select(p => p.Key)];
        state.Relevance = [.. ordered.Select(p => p.Value.Relevance)];
        state.Estimation = [.. ordered.Select(p => p.Value.Estimation)];
        var pending = changes.Pending.OrderBy(p => p.Key.Position).ToList();
        state.PendingPositions = [.. pending.Select(p => p.Key.Position)];
        state.PendingRelevance = [.. pending.Select(p => p.Value)];
        File.WriteAllText(Path.Combine(training, StateFile), JsonSerializer.Serialize(state, CogLtxManifest.Json));
    }

    private void RestoreState(string dir)
    {
        var path = Path.Combine(dir, TrainingDir, StateFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{dir}: no training state ({TrainingDir}/{StateFile}); the checkpoint holds models only", path);
        TrainingState restored;
        try
        {
            restored = JsonSerializer.Deserialize<TrainingState>(Utf8Input.ReadFile(path), CogLtxManifest.Json)
                ?? throw new InvalidDataException($"{path}: empty training state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid training state: {e.Message}", e);
        }
        if (restored.Format != TrainingState.CurrentFormat)
            throw new InvalidDataException($"{path}: training-state format {restored.Format}, this build reads {TrainingState.CurrentFormat}");
        if (restored.ExampleCount != state.ExampleCount || restored.LastPosition != state.LastPosition)
            throw new InvalidDataException(
                $"{path}: the training data differ from the checkpoint's: it was trained on {restored.ExampleCount} examples with last block position " +
                $"{restored.LastPosition}, the data given now have {state.ExampleCount} and {state.LastPosition}");
        if (restored.BlockPositions.Length != restored.Relevance.Length || restored.BlockPositions.Length != restored.Estimation.Length)
            throw new InvalidDataException($"{path}: block positions, relevance and estimation lists differ in length");
        for (var i = 0; i < restored.BlockPositions.Length; i++)
        {
            if (!blocks.TryGetValue(restored.BlockPositions[i], out var block))
                throw new InvalidDataException($"{path}: block position {restored.BlockPositions[i]} is not in the training data");
            block.Relevance = restored.Relevance[i];
            block.Estimation = restored.Estimation[i];
        }
        changes.Clear();
        for (var i = 0; i < restored.PendingPositions.Length; i++) changes.Record(blocks[restored.PendingPositions[i]], restored.PendingRelevance[i]);
        if (restored.Plan is { } plan)
            foreach (var position in plan.SelectMany(p => p))
                if (!blocks.ContainsKey(position)) throw new InvalidDataException($"{path}: the sample plan names block {position}, which is not in the training data");
        judgeOptimizer.LoadState(Path.Combine(dir, TrainingDir, JudgeOptimizerFile));
        reasonerOptimizer.LoadState(Path.Combine(dir, TrainingDir, ReasonerOptimizerFile));
        sampleRng.State = restored.SampleRng;
        models.JudgeRng.State = restored.JudgeRng;
        models.ReasonerRng.State = restored.ReasonerRng;
        state = restored;
    }
}
