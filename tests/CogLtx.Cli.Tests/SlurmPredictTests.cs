using System.Text.RegularExpressions;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>predict --slurm --submit</c> on a real single-node Slurm: 30 synthetic QA documents over 3 shards, predicted by
/// the array tasks and merged by the afterok merge job, equal one local <c>predict</c> byte for byte once each line's
/// <c>elapsed_ms</c> (the only timing field) is taken out, and Slurm cancels the afternotok merge. A shard that fails
/// has Slurm cancel the afterok merge and run the afternotok one, which fails naming the missing shard file and its
/// task's log, and writes no predictions. Slurm is started by
/// scripts/slurm/start.sh when it is not running; when it cannot be, the tests fail saying why.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed partial class SlurmPredictTests(SlurmPredictFixture fixture) : IClassFixture<SlurmPredictFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(6);

    [Fact]
    public void SubmittedShards_MergedByTheMergeJob_EqualOneLocalPredict()
    {
        SlurmCluster.Ensure();
        using var dir = new TempDir();
        var whole = Cli.Ok(Cli.Run(File.ReadAllText(fixture.Input), "predict", "--model", fixture.Model)).Stdout;

        var (shards, merge, failure, logs) = Submit(fixture.Input, dir.File("out"));
        SlurmCluster.WaitFor([shards, merge, failure], logs, Wait);

        for (var task = 0; task < 3; task++) Assert.Equal("COMPLETED", SlurmCluster.JobState($"{shards}_{task}"));
        Assert.Equal("COMPLETED", SlurmCluster.JobState(merge));
        Assert.Equal("CANCELLED", SlurmCluster.JobState(failure));
        for (var task = 0; task < 3; task++)
            Assert.Equal(10, PredictShardTests.Lines(File.ReadAllText(Path.Combine(dir.File("out"), "shards", $"out.{task}.jsonl"))).Count);
        var merged = File.ReadAllText(Path.Combine(dir.File("out"), "predictions.jsonl"));
        Assert.Equal(SlurmPredictFixture.Documents, Timing().Matches(merged).Count);
        Assert.Equal(SlurmPredictFixture.Documents, Timing().Matches(whole).Count);
        Assert.Equal(Timing().Replace(whole, ""), Timing().Replace(merged, ""));
    }

    [Fact]
    public void SubmittedShards_WithAFailingShard_FailTheAfterNotOkMerge_NamingTheShardAndItsLog()
    {
        SlurmCluster.Ensure();
        using var dir = new TempDir();
        var lines = File.ReadAllLines(fixture.Input);
        lines[1] = """{"id": "broken", "text": """;
        File.WriteAllLines(dir.File("in.jsonl"), lines);

        var (shards, merge, failure, logs) = Submit(dir.File("in.jsonl"), dir.File("out"));
        SlurmCluster.WaitFor([shards, merge, failure], logs, Wait);

        Assert.Equal("FAILED", SlurmCluster.JobState($"{shards}_1"));
        Assert.Equal("COMPLETED", SlurmCluster.JobState($"{shards}_0"));
        Assert.Equal("COMPLETED", SlurmCluster.JobState($"{shards}_2"));
        var shardLog = Path.Combine(logs, "shard-1.log");
        Assert.Contains($"] shard 1/3 (job {shards}_1, restart 0) on ", File.ReadAllText(shardLog));
        Assert.Contains("stdin line 2: not valid JSON", File.ReadAllText(shardLog));
        Assert.Equal("CANCELLED", SlurmCluster.JobState(merge));
        Assert.Equal("FAILED", SlurmCluster.JobState(failure));
        var shard1 = Path.Combine(dir.File("out"), "shards", "out.1.jsonl");
        Assert.False(File.Exists(shard1), "the failed shard's output was renamed into place");
        Assert.Contains($"1 of 3 shards missing: shard output not found: {shard1} (its task's log: {shardLog})",
            File.ReadAllText(Path.Combine(logs, $"merge-{failure}.log")));
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl")), "predictions written although a shard failed");
    }

    /// <summary><c>predict --slurm --submit</c> of <paramref name="input"/> in 3 shards; the job ids of the shard array, the afterok and the afternotok merge, and the log folder.</summary>
    private (string Shards, string Merge, string Failure, string Logs) Submit(string input, string outDir)
    {
        var submitted = Cli.Ok(Cli.Run(null, "predict", "--model", fixture.Model, "--slurm", "--submit", "--input", input, "--out", outDir, "--shards", "3",
            "--cpus", "1", "--mem", "1G", "--time", "10"));
        var ids = JobIds().Match(submitted.Stdout);
        Assert.True(ids.Success, $"no job ids on stdout\n{submitted}");
        return (ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value, Path.Combine(outDir, "slurm", "logs"));
    }

    [GeneratedRegex(@"shards job (\d+) \(3 tasks\), merge job (\d+) \(afterok\), failure merge job (\d+) \(afternotok\)")]
    private static partial Regex JobIds();

    /// <summary>The one field of a prediction that measures time rather than the model's output.</summary>
    [GeneratedRegex(@",""elapsed_ms"":[0-9.Ee+-]+")]
    private static partial Regex Timing();
}

/// <summary>What the Slurm prediction tests share, made once through the tool: 30 synthetic QA test documents (<c>data synth multihop</c>) and a tiny QA model (<c>train</c>, one layer of width 16).</summary>
public sealed class SlurmPredictFixture : IDisposable
{
    public const int Documents = 30;
    private readonly TempDir dir = new();

    public SlurmPredictFixture()
    {
        Cli.Ok(Cli.Run(null, "data", "synth", "multihop", "--to", dir.File("syn"), "--train", "3", "--test", $"{Documents}",
            "--min-tokens", "700", "--max-tokens", "900", "--late-fraction", "0.5"));
        Model = dir.File("qa");
        Cli.Ok(Cli.Run(null, "train", "--out", Model, "--data", "synthetic-qa", "--train-count", "4", "--test-count", "2",
            "--epochs", "1", "--layers", "1", "--hidden", "16", "--heads", "2"));
    }

    /// <summary>The JSONL to predict: one document and its question a line.</summary>
    public string Input => Path.Combine(dir.Path, "syn", "test.jsonl");

    public string Model { get; }

    public void Dispose() => dir.Dispose();
}
