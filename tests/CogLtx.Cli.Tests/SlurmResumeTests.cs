using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CogLtx.Cli.Tests;

/// <summary>
/// A grid cell's Slurm task cancelled with scancel while CogLTX trains (after its first checkpoint, before the end of
/// training), then submitted again, resumes from that checkpoint and ends exactly as an uninterrupted local run of the
/// same cell: the same loss at every optimizer step, the same final weights, the same predictions. The quick config
/// trains 576 steps (a few seconds) with a checkpoint every 8, so the kill lands mid-training.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmResumeTests
{
    private static readonly TimeSpan CheckpointWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan JobWait = TimeSpan.FromSeconds(90);
    private const int Epochs = 3;

    private const string Cell = """
        {
          "name": "slurm-resume",
          "dataset": { "name": "synthetic-cls", "synthetic": { "classes": 2, "seed": 3 } },
          "training": { "batch_size": 1, "accumulation_steps": 1, "judge_learning_rate": 0.003, "reasoner_learning_rate": 0.003, "checkpoint_every_steps": 8 },
          "methods": ["cogltx"],
          "grid": { "seeds": [1] },
          "quick": true,
          "quick_settings": {
            "train_examples": 48, "test_examples": 4, "min_tokens": 620, "max_tokens": 680, "vocab_size": 800,
            "layers": 1, "hidden": 32, "heads": 2, "epochs": 3, "longformer_max_length": 768, "longformer_attention_window": 64
          }
        }
        """;

    private const string MethodPath = "cells/synthetic-cls/scratch/seed-1/cogltx/methods/cogltx";

    [Fact]
    public void TaskCancelledMidTraining_ResubmittedTask_ResumesFromItsCheckpoint_AndEqualsTheUninterruptedRun()
    {
        SlurmCluster.Ensure();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cell.json"), Cell);
        Cli.Ok(Cli.Run(null, "experiment", dir.File("cell.json"), "--out", dir.File("local")));
        Cli.Ok(Cli.Run(null, "experiment", dir.File("cell.json"), "--out", dir.File("slurm"), "--slurm", "--cpus", "1", "--mem", "1G", "--time", "10"));
        var scripts = Path.Combine(dir.File("slurm"), "slurm");
        var logs = Path.Combine(scripts, "logs");
        var method = Path.Combine(dir.File("slurm"), MethodPath);
        var checkpoint = Path.Combine(method, "checkpoints", "checkpoint");

        var first = SlurmCluster.Submit(scripts, "cells.sh");
        WaitForCheckpoint(first, checkpoint, logs);
        SlurmCluster.Shell("scancel", first);
        SlurmCluster.WaitFor([first], logs, JobWait);
        Assert.Equal("CANCELLED", SlurmCluster.JobState(first));
        Assert.False(File.Exists(Path.Combine(method, "result.json")), $"the task finished before scancel reached it; it was not cut off mid-training\n{SlurmCluster.LogTails(logs)}");
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "training", "state.json")))!;
        var (killedAtEpoch, killedAtStep) = (state["epoch"]!.GetValue<int>(), state["total_steps"]!.GetValue<int>());
        Assert.True(killedAtEpoch < Epochs && killedAtStep > 0, $"checkpoint left by the cancelled task: epoch {killedAtEpoch}, step {killedAtStep}");

        var second = SlurmCluster.Submit(scripts, "--array=0", "cells.sh");
        SlurmCluster.WaitFor([second], logs, JobWait);
        Assert.Equal("COMPLETED", SlurmCluster.JobState(second));
        var log = File.ReadAllText(Path.Combine(logs, "cell-0.log"));
        var restart = log.LastIndexOf($"(job {second}_0", StringComparison.Ordinal);
        Assert.True(restart >= 0 && log.IndexOf("resuming from checkpoint", restart, StringComparison.Ordinal) > 0, $"the resubmitted task did not resume from the checkpoint:\n{log}");

        var local = Path.Combine(dir.File("local"), MethodPath);
        Assert.Equal(File.ReadAllText(Path.Combine(local, "curve.csv")), File.ReadAllText(Path.Combine(method, "curve.csv")));
        foreach (var weights in new[] { "judge/model.safetensors", "reasoner/model.safetensors" })
            Assert.True(File.ReadAllBytes(Path.Combine(local, "checkpoints", "checkpoint", weights)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(checkpoint, weights))),
                $"final {weights} of the resumed run differs from the uninterrupted run's (killed at step {killedAtStep})");
        Assert.Equal(File.ReadAllText(Path.Combine(local, "predictions.tsv")), File.ReadAllText(Path.Combine(method, "predictions.tsv")));
        var metrics = (JsonNode.Parse(File.ReadAllText(Path.Combine(local, "result.json")))!["Result"]!["Metrics"], JsonNode.Parse(File.ReadAllText(Path.Combine(method, "result.json")))!["Result"]!["Metrics"]);
        Assert.True(JsonNode.DeepEquals(metrics.Item1, metrics.Item2), $"metrics: local {metrics.Item1?.ToJsonString()}, resumed {metrics.Item2?.ToJsonString()}");
    }

    /// <summary>Polls until the task has written a complete checkpoint; fails if the job ends first or none appears in time.</summary>
    private static void WaitForCheckpoint(string job, string checkpoint, string logs)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(checkpoint, "COMPLETE")))
        {
            if (clock.Elapsed > CheckpointWait || !SlurmCluster.Queued([job]))
            {
                SlurmCluster.Shell("scancel", job);
                Assert.Fail($"job {job} wrote no checkpoint within {clock.Elapsed.TotalSeconds:0} s (state {SlurmCluster.JobState(job)}):\n{SlurmCluster.LogTails(logs)}");
            }
            Thread.Sleep(100);
        }
    }
}
