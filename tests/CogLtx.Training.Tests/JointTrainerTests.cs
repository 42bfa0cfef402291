using System.Diagnostics;
using CogLtx.Nn;
using CogLtx.Tensors;
using Xunit.Abstractions;

namespace CogLtx.Training.Tests;

public sealed class JointTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void JointTraining_OnTinySyntheticQa_LowersJudgeAndReasonerLosses()
    {
        using var task = new TinyTask();
        var models = task.CreateModels();
        var train = task.Convert(models);
        var clock = Stopwatch.StartNew();
        var trainer = new JointTrainer(models, train, TinyTask.Training with { Epochs = 4 }, checkpointRoot: null);
        var result = trainer.Train();
        output.WriteLine($"trained {result.TotalSteps} steps in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var e in result.History) output.WriteLine($"epoch {e.Epoch}: judge {e.JudgeLoss:0.0000}, reasoner {e.ReasonerLoss:0.0000}");
        Assert.True(result.Completed);
        Assert.Equal(4, result.History.Count);
        Assert.True(result.History[^1].JudgeLoss < 0.9 * result.History[0].JudgeLoss, "judge loss did not fall by 10%");
        Assert.True(result.History[^1].ReasonerLoss < 0.9 * result.History[0].ReasonerLoss, "reasoner loss did not fall by 10%");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void JudgeEpoch_CachesEstimationsOfSampledBlocks()
    {
        using var task = new TinyTask(train: 4);
        var models = task.CreateModels();
        var train = task.Convert(models);
        var trainer = new JointTrainer(models, train, TinyTask.Training with { Epochs = 1, StopAfterSteps = 1000 }, null);
        trainer.Train();
        var blocks = train.SelectMany(e => e.Blocks.DocumentBlocks).ToList();
        // every relevant block is in a judge sample (n1), so it got a score in (0, 1)
        Assert.All(blocks.Where(b => b.IsRelevant), b => Assert.InRange(b.Estimation, 1e-6f, 1 - 1e-6f));
    }

    [Fact]
    public void NonFiniteLoss_StopsWithAClearError_BeforeAnyUpdate()
    {
        using var task = new TinyTask(train: 4);
        var models = task.CreateModels();
        var train = task.Convert(models);
        var weight = models.Judge.Classifier.Weight;
        weight.Data[0] = float.NaN;
        var before = models.Judge.Encoder.NamedParameters().Select(p => (float[])p.Value.Data.Clone()).ToList();
        var trainer = new JointTrainer(models, train, TinyTask.Training, null);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Contains("epoch 0, Judge step 1", error.Message);
        Assert.Contains("NaN", error.Message);
        var after = models.Judge.Encoder.NamedParameters().Select(p => p.Value.Data).ToList();
        for (var i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void Latent_IntervenesAndAppliesFromTheConfiguredEpoch_AndSkipsTheEpochsBefore()
    {
        using var task = new TinyTask(train: 6);
        // A freshly initialised reasoner with N(0, 0.02²) weights reads z+ almost uniformly (|Δ| ~ 1e-5); with
        // N(0, 0.5²) weights ablations move the loss by tenths, across the default thresholds 0.2 / −0.05.
        var sensitive = TinyTask.Options;
        var models = task.CreateModels(options: sensitive, initStd: 0.5);
        var train = task.Convert(models);
        var options = TinyTask.Training with { Epochs = 2, Relevance = RelevanceSource.Latent };
        var trainer = new JointTrainer(models, train, options, null);
        // The answer blocks stay relevant; the bridge fact loses its label.
        Assert.All(train.SelectMany(e => e.Blocks.DocumentBlocks).Where(b => b.IsRelevant),
            b => Assert.True(b.AnswerStart is not null || b.AnswerEnd is not null));
        var result = trainer.Train();
        foreach (var e in result.History) output.WriteLine($"epoch {e.Epoch}: logged {e.LoggedChanges}, relabelled {e.RelabelledBlocks}");
        // Epoch 0 < FirstRelabelEpoch = 1 (the paper's rule): its interventions would be discarded, so none are run.
        Assert.Equal(0, result.History[0].LoggedChanges);
        Assert.Equal(0, result.History[0].RelabelledBlocks);
        Assert.True(result.History[1].LoggedChanges > 0, "no intervention was logged in epoch 1");
        Assert.True(result.History[1].RelabelledBlocks > 0, "epoch 1's interventions were not applied");
        Assert.Contains(train.SelectMany(e => e.Blocks.DocumentBlocks), b => b.Relevance != 0 && b.AnswerStart is null && b.AnswerEnd is null);

        // With the first relabelling epoch beyond the run, nothing is ever applied.
        var never = task.CreateModels(options: sensitive with { FirstRelabelEpoch = 5 }, initStd: 0.5);
        var neverTrain = task.Convert(never);
        var neverResult = new JointTrainer(never, neverTrain, options, null).Train();
        Assert.All(neverResult.History, e => Assert.Equal((0, 0), (e.LoggedChanges, e.RelabelledBlocks)));
        Assert.All(neverTrain.SelectMany(e => e.Blocks.DocumentBlocks),
            b => Assert.Equal(b.AnswerStart is not null || b.AnswerEnd is not null ? 1 : 0, b.Relevance));
    }
}
