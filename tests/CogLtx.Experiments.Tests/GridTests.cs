using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Grid;
using CogLtx.Experiments.Runner;

namespace CogLtx.Experiments.Tests;

public sealed class GridTests
{
    /// <summary>The runner tests' tiny quick config (seconds per method), with a grid section.</summary>
    private static ExperimentConfig Tiny(string grid, string methods = "\"cogltx\", \"head\"") => ExperimentConfig.Parse($$"""
        {
          "name": "tiny",
          "dataset": { "name": "synthetic-cls", "synthetic": { "classes": 2, "seed": 3 } },
          "training": { "batch_size": 4, "judge_learning_rate": 0.003, "reasoner_learning_rate": 0.003 },
          "baselines": { "window_stride": 200 },
          "methods": [{{methods}}],
          "grid": {{grid}},
          "quick": true,
          "quick_settings": {
            "train_examples": 8, "test_examples": 6, "min_tokens": 620, "max_tokens": 680, "vocab_size": 800,
            "layers": 1, "hidden": 16, "heads": 2, "epochs": 1, "longformer_max_length": 768, "longformer_attention_window": 64
          }
        }
        """);

    [Fact]
    public void Expand_NestsDatasetEncoderSeedMethod_AndRestrictsEachCellToItsValues()
    {
        var cells = GridPlan.Expand(Tiny("""{ "seeds": [5, 6], "datasets": ["synthetic-cls", "hyperpartisan"], "encoders": ["scratch", "minilm"] }"""));

        Assert.Equal(2 * 2 * 2 * 2, cells.Count);
        Assert.Equal(Enumerable.Range(0, 16), cells.Select(c => c.Index));
        Assert.Equal(("hyperpartisan", "minilm", 6UL, "head"), (cells[15].Dataset, cells[15].EncoderLabel, cells[15].Seed, cells[15].Method));
        Assert.Equal(("synthetic-cls", null, 5UL, "head"), (cells[1].Dataset, cells[1].Encoder, cells[1].Seed, cells[1].Method));
        foreach (var c in cells)
        {
            Assert.Null(c.Config.Grid);
            Assert.Equal([c.Method], c.Config.Methods);
            Assert.Equal(c.Seed, c.Config.Training.Seed);
            Assert.Equal(c.Dataset, c.Config.Dataset.Name);
            Assert.Equal(c.Encoder, c.Config.Encoder.Pretrained);
        }
        Assert.Equal(cells.Count, cells.Select(c => c.Folder).Distinct().Count());
    }

    [Fact]
    public void Expand_WithoutGrid_IsOneCellPerMethod_WithTheConfigsOwnValues()
    {
        var config = Tiny("null") with { Training = new TrainingConfig { Seed = 9 } };
        var cells = GridPlan.Expand(config);
        Assert.Equal(["cogltx", "head"], cells.Select(c => c.Method));
        Assert.All(cells, c => Assert.Equal((9UL, "synthetic-cls", GridConfig.Scratch), (c.Seed, c.Dataset, c.EncoderLabel)));
    }

    [Fact]
    public void SingleRunConfig_WritesNoGridField_SoItsFingerprintIsUnchanged()
    {
        var config = Tiny("null");
        Assert.DoesNotContain("grid", config.ToJson());
        Assert.Equal(ExperimentRunner.Fingerprint(config), ExperimentRunner.Fingerprint(Tiny("""{ "seeds": [1] }""") with { Grid = null }));
    }

    [Theory]
    [InlineData("""{ "seeds": [1, 1] }""", "grid.seeds[1]: \"1\" is listed twice")]
    [InlineData("""{ "seeds": [] }""", "grid.seeds: must list at least one value")]
    [InlineData("""{ "datasets": ["imdb"] }""", "grid.datasets[0]: unknown data set \"imdb\"")]
    [InlineData("""{ "encoders": [" "] }""", "grid.encoders[0]: must be a model name")]
    [InlineData("""{ "sed": [1] }""", "grid.sed")]
    public void BadGrid_IsRefused_NamingTheField(string grid, string fragment)
    {
        var e = Assert.Throws<ExperimentConfigException>(() => Tiny(grid));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Expand_DatasetThatCannotTakeAMethod_NamesBoth()
    {
        var e = Assert.Throws<ExperimentConfigException>(() => GridPlan.Expand(Tiny("""{ "datasets": ["synthetic-cls", "synthetic-qa"] }""", "\"head\", \"sliding-mean\"")));
        Assert.Contains("grid data set \"synthetic-qa\"", e.Message);
        Assert.Contains("sliding-mean", e.Message);
    }

    [Fact]
    public void TInterval_IsMeanPlusMinusStudentTTimesStandardError()
    {
        var (low, high) = GridSummaryRow.TInterval([1.0, 2.0, 3.0]);
        // s = 1, n = 3, t(0.975, 2) = 4.302653
        Assert.Equal(2 - 4.302653 / Math.Sqrt(3), low!.Value, 5);
        Assert.Equal(2 + 4.302653 / Math.Sqrt(3), high!.Value, 5);
        Assert.Equal((null, null), GridSummaryRow.TInterval([0.5]));
    }

    [Fact]
    public void RunAll_TwoSeeds_MergesCellsIntoSingleRunTablesAndSummary_AndCellsRerunAreReused()
    {
        using var dir = new TempDir();
        var runner = new GridRunner(Tiny("""{ "seeds": [1, 2] }"""), dir.Path, new RunnerOptions { Commit = "test" });
        var grid = runner.RunAll();

        Assert.Empty(grid.NotDone);
        Assert.Equal(4, grid.Cells.Count);
        var head = Assert.Single(grid.Summary, r => r.Method == "head");
        Assert.Equal([1UL, 2UL], head.Seeds);
        Assert.Equal(head.Scores.Average(), head.Mean, 12);
        var cogltx = grid.Summary.Single(r => r.Method == "cogltx");
        Assert.Equal(head.Scores.Zip(cogltx.Scores, (a, b) => a - b).Average(), head.Delta!.Value, 12);
        Assert.Equal(2, head.Pairs);
        foreach (var seed in new[] { 1, 2 })
        {
            using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "runs", "synthetic-cls", "scratch", $"seed-{seed}", "results.json")));
            Assert.Equal(["cogltx", "head"], run.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        }
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "results.json"))))
        {
            Assert.Equal(0, json.RootElement.GetProperty("failed_cells").GetInt32());
            Assert.Equal(6, json.RootElement.GetProperty("cells")[3].GetProperty("examples").GetArrayLength());
        }
        Assert.Contains("| synthetic-cls | scratch | head | 2 |", File.ReadAllText(Path.Combine(dir.Path, "results.md")));

        var again = new GridRunner(Tiny("""{ "seeds": [1, 2] }"""), dir.Path, new RunnerOptions { Commit = "test" }).RunAll();
        Assert.Equal(grid.Cells.Select(c => c.Result!.TrainSeconds), again.Cells.Select(c => c.Result!.TrainSeconds));
    }

    [Fact]
    public void Merge_FailedAndUnrunCells_AreReportedNotDropped()
    {
        using var dir = new TempDir();
        var missingData = Path.Combine(dir.Path, "no-data");
        var config = Tiny("""{ "datasets": ["synthetic-cls", "hyperpartisan"], "seeds": [1, 2] }""", "\"head\"");
        var runner = new GridRunner(config, Path.Combine(dir.Path, "out"), new RunnerOptions { Commit = "test", DataDir = missingData });
        runner.RunCell(0);
        Assert.Throws<ExperimentConfigException>(() => runner.RunCell(2));

        var grid = runner.Merge();

        Assert.Equal([CellStatus.Done, CellStatus.Missing, CellStatus.Failed, CellStatus.Missing], grid.Cells.Select(c => c.Status));
        Assert.Contains("hyperpartisan", grid.Cells[2].Error);
        Assert.Contains(missingData, grid.Cells[2].Error);
        var md = File.ReadAllText(Path.Combine(dir.Path, "out", "results.md"));
        Assert.Contains("**3 cells are not in the summary**", md);
        Assert.Contains("cell 2 (hyperpartisan / scratch / seed 1 / head): failed:", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "results.json")));
        Assert.Equal(3, json.RootElement.GetProperty("failed_cells").GetInt32());
        Assert.Equal("failed", json.RootElement.GetProperty("cells")[2].GetProperty("status").GetString());
    }

    [Fact]
    public void Merge_CellFolderOfAnotherConfiguration_IsFailedNotMixedIn()
    {
        using var dir = new TempDir();
        new GridRunner(Tiny("null", "\"head\""), dir.Path, new RunnerOptions { Commit = "test" }).RunCell(0);
        var changed = Tiny("null", "\"head\"") with { Baselines = new BaselinesConfig { WindowStride = 100 } };

        var grid = new GridRunner(changed, dir.Path, new RunnerOptions { Commit = "test" }).Merge();

        Assert.Equal(CellStatus.Failed, grid.Cells[0].Status);
        Assert.Contains("different configuration", grid.Cells[0].Error);
    }
}
