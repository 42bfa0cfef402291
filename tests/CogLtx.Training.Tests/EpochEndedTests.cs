using CogLtx.Training.Evaluation;

namespace CogLtx.Training.Tests;

/// <summary>
/// The epoch callback an experiment scores its validation split with: called once per epoch, and evaluating the
/// models there (eval mode, MemRecall, the reasoner) leaves training exactly as it would have been without it.
/// </summary>
public sealed class EpochEndedTests
{
    [Fact]
    public void Train_EvaluatingAfterEachEpoch_GivesBitIdenticalWeightsAndLosses()
    {
        using var task = new TinyTask(train: 6, test: 3);
        var plain = task.CreateModels();
        var plainResult = new JointTrainer(plain, task.Convert(plain), TinyTask.Training, checkpointRoot: null).Train();

        var watched = task.CreateModels();
        var heldOut = task.Convert(watched, task.Dataset.Test);
        var calls = new List<(int Epoch, int Steps)>();
        var result = new JointTrainer(watched, task.Convert(watched), TinyTask.Training, checkpointRoot: null).Train(epochEnded: (summary, steps) =>
        {
            calls.Add((summary.Epoch, steps));
            Evaluator.Evaluate(watched, heldOut);
        });

        Assert.Equal(TinyTask.Training.Epochs, calls.Count);
        Assert.Equal(Enumerable.Range(0, TinyTask.Training.Epochs), calls.Select(c => c.Epoch));
        Assert.Equal(result.TotalSteps, calls[^1].Steps);
        Assert.True(calls[0].Steps > 0 && calls[0].Steps < calls[1].Steps);
        Assert.Equal(plainResult.History, result.History);
        foreach (var (module, expected) in new[] { (watched.Judge.StateDict(), plain.Judge.StateDict()), (watched.Reasoner.StateDict(), plain.Reasoner.StateDict()) })
            foreach (var (name, value) in module) Assert.Equal(expected[name].Data, value.Data);
    }
}
