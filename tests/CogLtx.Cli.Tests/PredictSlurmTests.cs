using System.Diagnostics;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>predict --slurm</c>: the shard array and the merge job it writes, run here by bash as Slurm would run them
/// (<c>SLURM_ARRAY_TASK_ID</c> set per task), give what one unsharded predict gives, and a failed shard makes the merge
/// fail naming it; submit.sh, run against a stand-in <c>sbatch</c> that records its arguments, submits the array and the
/// merge after it twice (afterok, afternotok). Nothing is submitted.
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

        for (var task = 0; task < 3; task++) Bash(Path.Combine(scripts, "predict.sh"), task);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl")), "predictions before the merge");
        Bash(Path.Combine(scripts, "merge.sh"), null);

        Assert.Equal(PredictShardTests.WithoutTiming(whole), PredictShardTests.WithoutTiming(File.ReadAllText(Path.Combine(dir.File("out"), "predictions.jsonl"))));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.File("out"), "shards"), "*.tmp"));
    }

    [Fact]
    public void MergeScript_WithAShardFailed_FailsNamingItAndItsLog_AndWritesNoPredictions()
    {
        using var dir = new TempDir();
        var lines = PredictShardTests.Input(fixture).Split('\n');
        lines[1] = """{"id": "broken", "text": """;
        File.WriteAllText(dir.File("in.jsonl"), string.Join('\n', lines));
        Cli.Ok(Cli.Run(null, "predict", "--model", fixture.QaModel, "--slurm", "--input", dir.File("in.jsonl"), "--out", dir.File("out"), "--shards", "2"));
        var scripts = Path.Combine(dir.File("out"), "slurm");
        var shard1 = Path.Combine(dir.File("out"), "shards", "out.1.jsonl");
        File.WriteAllText(shard1, "an earlier run's shard 1\n");
        Bash(Path.Combine(scripts, "predict.sh"), 0);

        var (failed, taskLog) = Run(Path.Combine(scripts, "predict.sh"), 1);
        var (code, output) = Run(Path.Combine(scripts, "merge.sh"), null);

        Assert.NotEqual(0, failed);
        Assert.Contains("shard 1/2 (job none_1, restart 0) on ", taskLog);
        Assert.False(File.Exists(shard1), "the failed task left an earlier run's shard in place");
        Assert.False(File.Exists(shard1 + ".tmp"), "the failed task left its temporary file");
        Assert.NotEqual(0, code);
        Assert.Contains($"1 of 2 shards missing: shard output not found: {shard1} (its task's log: {Path.Combine(scripts, "logs", "shard-1.log")}, not written)", output);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl")), "predictions written by a failed merge");
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "predictions.jsonl.tmp")), "the failed merge left its temporary file");
    }

    [Fact]
    public void SubmitScript_SubmitsTheShards_ThenTheMergeAfterOkAndAfterNotOk_AndRecordsTheJobIds()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), PredictShardTests.Input(fixture));
        Cli.Ok(Cli.Run(null, "predict", "--model", fixture.QaModel, "--slurm", "--input", dir.File("in.jsonl"), "--out", dir.File("out"), "--shards", "3"));
        var scripts = Path.Combine(dir.File("out"), "slurm");
        Directory.CreateDirectory(dir.File("bin"));
        File.WriteAllText(dir.File("bin/sbatch"), $$"""
            #!/usr/bin/env bash
            echo "$*" >> '{{dir.File("calls.txt")}}'
            echo "$((100 + $(wc -l < '{{dir.File("calls.txt")}}')));cluster"

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.File("bin/sbatch"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (code, output) = Run(Path.Combine(scripts, "submit.sh"), null, dir.File("bin"));

        Assert.True(code == 0, output);
        Assert.Equal([
            $"--parsable {Path.Combine(scripts, "predict.sh")}",
            $"--parsable --dependency=afterok:101 --kill-on-invalid-dep=yes {Path.Combine(scripts, "merge.sh")}",
            $"--parsable --dependency=afternotok:101 --kill-on-invalid-dep=yes {Path.Combine(scripts, "merge.sh")}"], File.ReadAllLines(dir.File("calls.txt")));
        Assert.Equal("101 102 103\n", File.ReadAllText(Path.Combine(scripts, "jobs.txt")));
        Assert.Contains("shards job 101 (3 tasks), merge job 102 (afterok), failure merge job 103 (afternotok); predictions to ", output);
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

    /// <summary>Runs <paramref name="script"/> with bash as Slurm would (array task id, CPUs), <paramref name="path"/> first on PATH; exit code and output.</summary>
    private static (int Code, string Output) Run(string script, int? task, string? path = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        if (path is not null) info.Environment["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
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
