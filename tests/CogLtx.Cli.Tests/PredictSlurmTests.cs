using System.Diagnostics;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>predict --slurm</c>: the shard array and the merge job it writes, run here by bash as Slurm would run them
/// (<c>SLURM_ARRAY_TASK_ID</c> set per task), give what one unsharded predict gives; not submitted.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PredictSlurmTests(CliFixture fixture)
{
    [Fact]
    public void WrittenScripts_RunTaskByTask_ThenMerged_EqualOnePredict()
    {
        using var dir = new TempDir();
        var input = PredictShardTests.Input(fixture);
        File.WriteAllText(dir.File("in.jsonl"), input);
        var whole = Cli.Ok(Cli.Run(input, "predict", "--model", fixture.QaModel)).Stdout;

        var written = Cli.Ok(Cli.Run(null, "predict", "--model", fixture.QaModel, "--slurm", "--input", dir.File("in.jsonl"), "--out", dir.File("out"),
            "--shards", "3", "--cpus", "1", "--mem", "1G", "--max-parallel", "2"));
        Assert.Equal("", written.Stdout);
        var scripts = Path.Combine(dir.File("out"), "slurm");
        var shardScript = File.ReadAllText(Path.Combine(scripts, "predict.sh"));
        Assert.Contains("#SBATCH --array=0-2%2", shardScript);
        Assert.Contains("#SBATCH --mem=1G", shardScript);
        Assert.Contains("--shard \"$SLURM_ARRAY_TASK_ID/3\"", shardScript);
        Assert.Contains("--dependency=afterok:$shards", File.ReadAllText(Path.Combine(scripts, "submit.sh")));

        for (var task = 0; task < 3; task++) Bash(Path.Combine(scripts, "predict.sh"), task);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl")), "predictions before the merge");
        Bash(Path.Combine(scripts, "merge.sh"), null);

        Assert.Equal(PredictShardTests.WithoutTiming(whole), PredictShardTests.WithoutTiming(File.ReadAllText(Path.Combine(dir.File("out"), "predictions.jsonl"))));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.File("out"), "shards"), "*.tmp"));
    }

    [Fact]
    public void MergeScript_WithAShardMissing_FailsNamingIt_AndWritesNoPredictions()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), PredictShardTests.Input(fixture));
        Cli.Ok(Cli.Run(null, "predict", "--model", fixture.QaModel, "--slurm", "--input", dir.File("in.jsonl"), "--out", dir.File("out"), "--shards", "2"));
        var scripts = Path.Combine(dir.File("out"), "slurm");
        Bash(Path.Combine(scripts, "predict.sh"), 0);

        var (code, output) = Run(Path.Combine(scripts, "merge.sh"), null);

        Assert.NotEqual(0, code);
        Assert.Contains("out.1.jsonl", output);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl")), "predictions written by a failed merge");
    }

    [Fact]
    public void SlurmOptions_WithoutSlurm_AreRefused() =>
        Cli.Fails(Cli.Run("", "predict", "--model", fixture.QaModel, "--shards", "3"), "--shards go with --slurm");

    [Fact]
    public void Slurm_WithoutShards_IsRefused() =>
        Cli.Fails(Cli.Run(null, "predict", "--model", fixture.QaModel, "--slurm", "--input", fixture.QaModel, "--out", "x"), "--slurm needs --shards N");

    private static void Bash(string script, int? task)
    {
        var (code, output) = Run(script, task);
        Assert.True(code == 0, $"bash {script} (task {task}) exit {code}:\n{output}");
    }

    private static (int Code, string Output) Run(string script, int? task)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        if (task is { } t) info.Environment["SLURM_ARRAY_TASK_ID"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["SLURM_CPUS_PER_TASK"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(true);
            Assert.Fail($"bash {script} did not finish within 90 s");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
