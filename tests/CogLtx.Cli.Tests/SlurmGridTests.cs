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
[Collection(SlurmCollection.Name)]
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
        SlurmCluster.Ensure();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("grid.json"), Grid);
        Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("local")));

        var submitted = Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("slurm"), "--slurm", "--submit",
            "--cpus", "1", "--mem", "1G", "--time", "10"));
        var ids = JobIds().Match(submitted.Stdout);
        Assert.True(ids.Success, $"no job ids on stdout\n{submitted}");
        var (cells, report, failure) = (ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value);
        SlurmCluster.WaitFor([cells, report, failure], Path.Combine(dir.File("slurm"), "slurm", "logs"), Wait);

        Assert.Equal("COMPLETED", SlurmCluster.JobState(report));
        Assert.Equal("CANCELLED", SlurmCluster.JobState(failure));
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
        SlurmCluster.Ensure();
        using var dir = new TempDir();
        var config = JsonNode.Parse(Grid)!.AsObject();
        config["methods"] = new JsonArray("head");
        config["grid"] = JsonNode.Parse("""{ "seeds": [1], "datasets": ["synthetic-cls", "hyperpartisan"] }""");
        File.WriteAllText(dir.File("grid.json"), config.ToJsonString());

        var submitted = Cli.Ok(Cli.Run(null, "experiment", dir.File("grid.json"), "--out", dir.File("out"), "--data-dir", dir.File("no-data"),
            "--slurm", "--submit", "--mem", "1G", "--time", "10"));
        var ids = JobIds().Match(submitted.Stdout);
        Assert.True(ids.Success, $"no job ids on stdout\n{submitted}");
        SlurmCluster.WaitFor([ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value], Path.Combine(dir.File("out"), "slurm", "logs"), Wait);

        Assert.Equal("CANCELLED", SlurmCluster.JobState(ids.Groups[2].Value));
        Assert.Equal("FAILED", SlurmCluster.JobState(ids.Groups[3].Value));
        var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "results.json")))!;
        Assert.Equal(1, merged["failed_cells"]!.GetValue<int>());
        Assert.Equal("done", merged["cells"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("failed", merged["cells"]![1]!["status"]!.GetValue<string>());
        Assert.Contains("cell 1 (hyperpartisan / scratch / seed 1 / head): failed:", File.ReadAllText(Path.Combine(dir.File("out"), "results.md")));
    }

    [GeneratedRegex(@"cells job (\d+) .*report job (\d+) \(afterok\), failure report job (\d+)")]
    private static partial Regex JobIds();
}
