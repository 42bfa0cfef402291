using CogLtx.Nn;

namespace CogLtx.Training.Tests;

/// <summary>Tests that run alone, after the parallel ones; their thread counts are scoped by ComputeOptions.Use.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}

[Collection(SerialCollection.Name)]
public sealed class CheckpointTests
{
    private static float[][] Parameters(CogLtxModels models) =>
        [.. models.Judge.Parameters().Concat(models.Reasoner.Parameters()).Select(p => (float[])p.Data.Clone())];

    [Fact]
    public void Resume_AfterHalfTheSteps_GivesIdenticalParametersAndLabels()
    {
        using var task = new TinyTask(train: 6);
        // Latent relevance and accumulation exercise every piece of saved state: plan, estimations, pending
        // relabellings, optimizer moments, schedule position, all three random streams (token-filled judge inputs here,
        // the reference's 8-block ones in the other trainer tests).
        var options = TinyTask.Training with
        {
            Epochs = 2, AccumulationSteps = 2, Relevance = RelevanceSource.Latent, JudgeSampling = CogLtx.Training.Samplers.JudgeSamplingMode.TokenFilled,
        };

        // Two engine threads (issue 11): every parallel reduction sums in a fixed order, so a resumed run is exact at any
        // thread count. The judge's 4 × 128-token batches are large enough for the parallel LayerNorm backward and GEMMs.
        using (Tensors.ComputeOptions.Use(Tensors.ComputeOptions.Default with { Threads = 2 }))
            ResumeMatchesStraightRun(task, options);
    }

    private static void ResumeMatchesStraightRun(TinyTask task, TrainingOptions options)
    {
        var straightModels = task.CreateModels(initStd: 0.5);
        var straightData = task.Convert(straightModels);
        var straight = new JointTrainer(straightModels, straightData, options, null).Train();
        Assert.True(straight.Completed);
        var total = straight.TotalSteps;

        var root = task.NewFolder("run");
        var firstModels = task.CreateModels(initStd: 0.5);
        var first = new JointTrainer(firstModels, task.Convert(firstModels), options with { StopAfterSteps = total / 2 }, root).Train();
        Assert.False(first.Completed);
        Assert.Equal(total / 2, first.TotalSteps);
        Assert.NotNull(first.CheckpointDir);

        // Fresh objects, everything read back from disk; the stop is lifted as a user would on resuming.
        var resumed = JointTrainer.Resume(root, m => task.Convert(m));
        var rest = resumed.Train();
        Assert.True(rest.Completed);
        Assert.Equal(total, rest.TotalSteps);

        var expected = Parameters(straightModels);
        var actual = Parameters(resumed.Models);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
        Assert.Equal(straightData.SelectMany(e => e.Blocks.DocumentBlocks).Select(b => (b.Relevance, b.Estimation)),
            resumed.Examples.SelectMany(e => e.Blocks.DocumentBlocks).Select(b => (b.Relevance, b.Estimation)));
        Assert.Equal(straight.History, rest.History);
    }

    [Fact]
    public void Resume_WithDifferentData_IsRejectedByName()
    {
        using var task = new TinyTask(train: 4);
        var root = task.NewFolder("run");
        var models = task.CreateModels();
        new JointTrainer(models, task.Convert(models), TinyTask.Training with { StopAfterSteps = 1 }, root).Train();
        var error = Assert.Throws<InvalidDataException>(() => JointTrainer.Resume(root, m => task.Convert(m, task.Dataset.Train.Take(3).ToList())));
        Assert.Contains("training data differ", error.Message);
    }

    [Fact]
    public void Save_FailingHalfway_LeavesThePreviousCheckpointIntact()
    {
        using var task = new TinyTask(train: 2);
        var root = task.NewFolder("ckpt");
        CheckpointStore.Save(root, dir => File.WriteAllText(Path.Combine(dir, "weights.bin"), "good"));
        Assert.Throws<IOException>(() => CheckpointStore.Save(root, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "weights.bin"), "half");
            throw new IOException("disk full");
        }));
        var found = CheckpointStore.Find(root);
        Assert.Equal(Path.Combine(root, CheckpointStore.CurrentName), found);
        Assert.Equal("good", File.ReadAllText(Path.Combine(found!, "weights.bin")));
        Assert.Single(Directory.GetDirectories(root));
    }

    [Fact]
    public void KillBetweenRenames_FindsTheOldCompleteCheckpoint_AndTheNextSaveRecovers()
    {
        using var task = new TinyTask(train: 2);
        var root = task.NewFolder("ckpt");
        CheckpointStore.Save(root, dir => File.WriteAllText(Path.Combine(dir, "step"), "1"));
        // A "kill" right after the current checkpoint was moved aside: the new one is complete but not yet in place.
        Assert.Throws<OperationCanceledException>(() => CheckpointStore.Save(root,
            dir => File.WriteAllText(Path.Combine(dir, "step"), "2"),
            beforeSwap: () => throw new OperationCanceledException("killed")));
        var found = CheckpointStore.Find(root);
        Assert.Equal(Path.Combine(root, CheckpointStore.PreviousName), found);
        Assert.Equal("1", File.ReadAllText(Path.Combine(found!, "step")));

        CheckpointStore.Save(root, dir => File.WriteAllText(Path.Combine(dir, "step"), "3"));
        Assert.Equal("3", File.ReadAllText(Path.Combine(CheckpointStore.Find(root)!, "step")));
        Assert.Equal([CheckpointStore.CurrentName], Directory.GetDirectories(root).Select(Path.GetFileName));
    }

    [Fact]
    public void Find_IgnoresAFolderWithoutTheCompletionMarker()
    {
        using var task = new TinyTask(train: 2);
        var root = task.NewFolder("ckpt");
        Directory.CreateDirectory(Path.Combine(root, CheckpointStore.CurrentName));
        Assert.Null(CheckpointStore.Find(root));
    }

    [Fact]
    public void SavedModels_LoadBackWithTheSameWeightsAndManifest()
    {
        using var task = new TinyTask(train: 2);
        var models = task.CreateModels();
        var dir = task.NewFolder("model");
        models.Save(dir);
        Assert.True(File.Exists(Path.Combine(dir, "judge", "model.safetensors")));
        Assert.Contains("BertForTokenClassification", File.ReadAllText(Path.Combine(dir, "judge", "config.json")));
        Assert.Contains("BertForQuestionAnswering", File.ReadAllText(Path.Combine(dir, "reasoner", "config.json")));
        var loaded = CogLtxModels.Load(dir);
        Assert.Equal(Parameters(models), Parameters(loaded));
        Assert.Equal(models.Options.Capacity, loaded.Options.Capacity);
        Assert.Equal(models.Options.RecallSteps, loaded.Options.RecallSteps);
        Assert.Equal(models.Setup.Task, loaded.Setup.Task);
        File.Delete(Path.Combine(dir, CogLtxModels.ManifestFile));
        Assert.Contains("cogltx.json is missing", Assert.Throws<FileNotFoundException>(() => CogLtxModels.Load(dir)).Message);
    }
}
