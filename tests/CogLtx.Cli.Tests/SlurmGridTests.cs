using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CogLtx.Cli.Tests;

/// <summary>
/// A 2 × 2 quick grid (CogLTX and head truncation × seeds 1 and 2) submitted to a real single-node Slurm with
/// <c>--slurm --submit</c>, merged by the afterok report job, and compared with the same grid run here. Slurm is
/// started by scripts/slurm/start.sh when it is not running; when it cannot be, the test fails saying why. A grid with
/// a failing cell runs the afternotok report instead, which names the cell.
/// </summary>
public sealed partial class SlurmGridTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(6);

    private const string Grid = """
        {
          "name": "slurm-grid",
          "dataset": { "name": "synthetic-cls", "synthetic": { "classes": 2, "seed": 3 } },
          "training": { "batch_size": 4, "judge_learning_rate": 0.003, "reasoner_learning_rate": 0.003 },
          "baselines": { "window_stride": 200 },
          "methods": ["cogltx", "head"],
          "grid": { "seeds": [1, 2] },
          "quick": true,
          "quick_settings": {
            "train_examples": 8, "test_examples": 6, "min_tokens": 620, "max_tokens": 680, "vocab_size": 800,
            "layers": 1, "hidden": 16, "heads": 2, "epochs": 1, "longformer_max_length": 768, "longformer_attention_window": 64
          }
        }
        """;

    [Fact]
    public void SubmittedGrid_MergedByTheReportJob_EqualsTheLocalRun()
    {
        EnsureSlurm();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("grid.json"), Grid);
        Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("local")));

        var submitted = Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("slurm"), "--slurm", "--submit",
            "--cpus", "1", "--mem", "1G", "--time", "10"));
        var ids = JobIds().Match(submitted.Stdout);
        Assert.True(ids.Success, $"no job ids on stdout\n{submitted}");
        var (cells, report, failure) = (ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value);
        WaitFor([cells, report, failure], dir.File("slurm"));

        Assert.Equal("COMPLETED", JobState(report));
        Assert.Equal("CANCELLED", JobState(failure));
        for (var task = 0; task < 4; task++) Assert.True(File.Exists(Path.Combine(dir.File("slurm"), "slurm", "logs", $"cell-{task}.log")), $"log of task {task}");
        var local = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("local"), "results.json")))!;
        var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("slurm"), "results.json")))!;
        Assert.Equal(0, merged["failed_cells"]!.GetValue<int>());
        Assert.Equal(4, merged["cells"]!.AsArray().Count);
        foreach (var field in new[] { "index", "seed", "method", "status", "metrics", "examples" })
            for (var i = 0; i < 4; i++)
                Assert.True(JsonNode.DeepEquals(local["cells"]![i]![field], merged["cells"]![i]![field]), $"cell {i} {field}: local {local["cells"]![i]![field]?.ToJsonString()}, slurm {merged["cells"]![i]![field]?.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(local["summary"], merged["summary"]), $"summary: local {local["summary"]!.ToJsonString()}, slurm {merged["summary"]!.ToJsonString()}");
        Assert.True(File.Exists(Path.Combine(dir.File("slurm"), "runs", "synthetic-cls", "scratch", "seed-2", "results.md")));
    }

    [Fact]
    public void SubmittedGrid_WithAFailingCell_RunsTheFailureReport_WhichNamesTheCell()
    {
        EnsureSlurm();
        using var dir = new TempDir();
        var config = JsonNode.Parse(Grid)!.AsObject();
        config["methods"] = new JsonArray("head");
        config["grid"] = JsonNode.Parse("""{ "seeds": [1], "datasets": ["synthetic-cls", "hyperpartisan"] }""");
        File.WriteAllText(dir.File("grid.json"), config.ToJsonString());

        var submitted = Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("out"), "--data-dir", dir.File("no-data"),
            "--slurm", "--submit", "--mem", "1G", "--time", "10"));
        var ids = JobIds().Match(submitted.Stdout);
        Assert.True(ids.Success, $"no job ids on stdout\n{submitted}");
        WaitFor([ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value], dir.File("out"));

        Assert.Equal("CANCELLED", JobState(ids.Groups[2].Value));
        Assert.Equal("FAILED", JobState(ids.Groups[3].Value));
        var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "results.json")))!;
        Assert.Equal(1, merged["failed_cells"]!.GetValue<int>());
        Assert.Equal("done", merged["cells"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("failed", merged["cells"]![1]!["status"]!.GetValue<string>());
        Assert.Contains("cell 1 (hyperpartisan / scratch / seed 1 / head): failed:", File.ReadAllText(Path.Combine(dir.File("out"), "results.md")));
    }

    /// <summary>Slurm answers sinfo with a usable node, or scripts/slurm/start.sh makes it so; else the test fails with the reason.</summary>
    private static void EnsureSlurm()
    {
        if (NodeUp()) return;
        var (code, output) = Shell("bash", Path.Combine(Cli.RepoRoot, "scripts", "slurm", "start.sh"));
        Assert.True(code == 0 && NodeUp(), $"Slurm is not running and scripts/slurm/start.sh could not start it (exit {code}):\n{output}");
    }

    private static bool NodeUp()
    {
        var (code, output) = Shell("sinfo", "-h", "-o", "%T");
        return code == 0 && Regex.IsMatch(output, "^(idle|mixed|allocated)", RegexOptions.Multiline);
    }

    private static void WaitFor(IReadOnlyList<string> jobs, string outDir)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Wait)
        {
            var (code, output) = Shell("squeue", "-h", "-o", "%i %T %r", "-j", string.Join(",", jobs));
            if (code == 0 && output.Trim().Length == 0) return;
            Thread.Sleep(2000);
        }
        var queue = Shell("squeue", "-o", "%i %j %T %r").Output;
        Shell("scancel", [.. jobs]);
        var logs = Directory.GetFiles(Path.Combine(outDir, "slurm", "logs")).Select(f => $"--- {f}\n{string.Join('\n', File.ReadLines(f).TakeLast(5))}");
        Assert.Fail($"jobs {string.Join(",", jobs)} did not finish within {Wait.TotalMinutes} min (cancelled):\n{queue}\n{string.Join('\n', logs)}");
    }

    private static string JobState(string job)
    {
        var (_, output) = Shell("scontrol", "show", "job", job);
        return Regex.Match(output, @"JobState=(\S+)").Groups[1].Value is { Length: > 0 } state ? state : $"unknown ({output.Trim()})";
    }

    private static (int ExitCode, string Output) Shell(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{program}: {e.Message}");
        }
    }

    [GeneratedRegex(@"cells job (\d+) .*report job (\d+) \(afterok\), failure report job (\d+)")]
    private static partial Regex JobIds();
}
