using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;

namespace CogLtx.Experiments.Tests;

public sealed class ExperimentRunnerTests
{
    /// <summary>A quick-mode config shrunk to seconds: 8 train / 6 test documents of ~650 tokens, a 1-layer H16 encoder.</summary>
    /// <param name="validation">Held-out training documents (quick mode keeps at most 2).</param>
    private static ExperimentConfig Tiny(string dataset, IReadOnlyList<string> methods, int epochs = 1, int validation = 0, string select = "last") => ExperimentConfig.Parse($$"""
        {
          "name": "tiny",
          "dataset": { "name": "{{dataset}}", "synthetic": { "classes": 2, "seed": 3 }, "validation_count": {{validation}} },
          "training": { "batch_size": 4, "judge_learning_rate": 0.003, "reasoner_learning_rate": 0.003, "select": "{{select}}" },
          "baselines": { "window_stride": 200 },
          "methods": [{{string.Join(", ", methods.Select(m => $"\"{m}\""))}}],
          "quick": true,
          "quick_settings": {
            "train_examples": 8, "test_examples": 6, "min_tokens": 620, "max_tokens": 680, "vocab_size": 800,
            "layers": 1, "hidden": 16, "heads": 2, "epochs": {{epochs}}, "longformer_max_length": 768, "longformer_attention_window": 64
          }
        }
        """);

    private static readonly string[] ClassificationMethods = ["cogltx", "head", "tail", "head-tail", "sliding-mean", "sliding-max", "longformer"];

    [Fact]
    public void Run_QuickClassification_EndToEnd_WritesEveryOutputForEveryMethod()
    {
        using var dir = new TempDir();
        var runner = new ExperimentRunner(Tiny("synthetic-cls", ClassificationMethods), dir.Path, new RunnerOptions { Commit = "test" });
        var results = runner.Run();

        Assert.Equal(ClassificationMethods, results.Methods.Select(m => m.Name));
        Assert.Equal("accuracy", results.HeadlineMetric);
        Assert.Equal("tiny (quick)", results.Dataset);
        foreach (var m in results.Methods)
        {
            Assert.Equal(6, m.Outcomes.Count);
            Assert.All(["accuracy", "micro_f1", "macro_f1", "accuracy_long"], k => Assert.InRange(m.Metrics[k], 0, 1));
            Assert.Equal(m.Metrics["accuracy"], m.Outcomes.Average(o => o.Score), 12);
            Assert.True(m.PeakMemoryMb > 0 && m.TrainSeconds > 0, $"{m.Name}: peak {m.PeakMemoryMb} MB, train {m.TrainSeconds} s");
            Assert.NotEmpty(m.Curve);
            Assert.True(File.Exists(Path.Combine(dir.Path, "methods", m.Name, "predictions.tsv")));
        }
        Assert.InRange(results.Methods[0].Metrics["relevant_recall"], 0, 1);
        Assert.Contains(results.Methods[0].Curve, p => p.Series == "judge");
        Assert.Contains(results.Methods[0].Curve, p => p.Series == "reasoner");
        foreach (var file in new[] { "results.json", "results.csv", "results.md", "training_curves.svg", "score_vs_length.svg", "experiment.json" })
            Assert.True(File.Exists(Path.Combine(dir.Path, file)), file);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "results.json")));
        Assert.Equal(7, json.RootElement.GetProperty("methods").GetArrayLength());
        Assert.Contains("| longformer |", File.ReadAllText(Path.Combine(dir.Path, "results.md")));
    }

    [Fact]
    public void Run_QuickQa_EndToEnd_CogLtxAloneReportsSupportingFacts()
    {
        using var dir = new TempDir();
        var results = new ExperimentRunner(Tiny("synthetic-qa", ["cogltx", "head", "sliding-window", "longformer"]), dir.Path, new RunnerOptions { Commit = "test" }).Run();
        Assert.Equal("f1", results.HeadlineMetric);
        var cogltx = results.Methods[0];
        Assert.All(["em", "f1", "sp_em", "sp_f1", "joint_em", "joint_f1", "em_long", "f1_long"], k => Assert.InRange(cogltx.Metrics[k], 0, 1));
        foreach (var baseline in results.Methods.Skip(1))
        {
            Assert.InRange(baseline.Metrics["f1"], 0, 1);
            Assert.False(baseline.Metrics.ContainsKey("sp_f1"), baseline.Name);
        }
    }

    [Fact]
    public void Run_Again_ReusesFinishedMethods_AndRunsOnlyTheNewOne()
    {
        using var dir = new TempDir();
        var first = new ExperimentRunner(Tiny("synthetic-cls", ["head", "tail"]), dir.Path, new RunnerOptions { Commit = "test" });
        var before = first.Run();
        Assert.Empty(first.Reused);

        var second = new ExperimentRunner(Tiny("synthetic-cls", ["head", "tail", "head-tail"]), dir.Path, new RunnerOptions { Commit = "test" });
        var after = second.Run();
        Assert.Equal(["head", "tail"], second.Reused);
        Assert.Equal(["head", "tail", "head-tail"], after.Methods.Select(m => m.Name));
        // Stored results come back exactly, timings included (they were not measured again).
        Assert.Equal(before.Methods[1].TrainSeconds, after.Methods[1].TrainSeconds);
        Assert.Equal(before.Methods[1].Outcomes, after.Methods[1].Outcomes);
    }

    [Fact]
    public void Run_InterruptedMidTraining_ResumesToTheUninterruptedResult()
    {
        string[] methods = ["cogltx", "head"];
        using var straightDir = new TempDir();
        var straight = new ExperimentRunner(Tiny("synthetic-cls", methods, epochs: 2), straightDir.Path, new RunnerOptions { Commit = "test" }).Run();

        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        // Stop each method in its second epoch: the first stop hits CogLTX, the rerun finishes it and stops "head".
        var stops = 0;
        var progress = new Stop(p =>
        {
            if (p.Stage == "train" && p.Fraction > 0.6 && p.Fraction < 1 && !cts.IsCancellationRequested && stops < 2)
            {
                stops++;
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new ExperimentRunner(Tiny("synthetic-cls", methods, epochs: 2), dir.Path).Run(progress, cts.Token));
        Assert.False(File.Exists(Path.Combine(dir.Path, "methods", "cogltx", ExperimentRunner.ResultFile)));

        using var cts2 = new CancellationTokenSource();
        var progress2 = new Stop(p =>
        {
            if (p.Method == "head" && p.Stage == "train" && p.Fraction > 0.6 && p.Fraction < 1) cts2.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new ExperimentRunner(Tiny("synthetic-cls", methods, epochs: 2), dir.Path).Run(progress2, cts2.Token));
        Assert.True(File.Exists(Path.Combine(dir.Path, "methods", "cogltx", ExperimentRunner.ResultFile)));

        var resumed = new ExperimentRunner(Tiny("synthetic-cls", methods, epochs: 2), dir.Path, new RunnerOptions { Commit = "test" });
        var results = resumed.Run();
        Assert.Equal(["cogltx"], resumed.Reused);
        for (var i = 0; i < methods.Length; i++)
        {
            Assert.Equal(straight.Methods[i].Outcomes, results.Methods[i].Outcomes);
            Assert.Equal(straight.Methods[i].Curve.Select(c => (c.Step, c.Series)), results.Methods[i].Curve.Select(c => (c.Step, c.Series)));
        }
    }

    [Fact]
    public void Run_RecordsTheEngineThreadsItRanWith_NotTheProcessorCount()
    {
        using var dir = new TempDir();
        using var _ = Tensors.ComputeOptions.Use(new Tensors.ComputeOptions { Threads = 1 });
        var results = new ExperimentRunner(Tiny("synthetic-cls", ["head"], epochs: 1), dir.Path, new RunnerOptions { Commit = "test" }).Run();

        Assert.Equal($"1 of {Environment.ProcessorCount} processors", results.Settings["threads"]);
    }

    [Fact]
    public void Run_WithValidationSplit_ScoresEveryEpochAndTestsTheBestEpochsWeights()
    {
        string[] methods = ["cogltx", "head"];
        using var dir = new TempDir();
        var results = new ExperimentRunner(Tiny("synthetic-cls", methods, epochs: 3, validation: 2, select: "best_validation"), dir.Path,
            new RunnerOptions { Commit = "test" }).Run();

        Assert.Equal("6", results.Settings["train_examples"]);
        Assert.Equal("2", results.Settings["validation_examples"]);
        foreach (var method in results.Methods)
        {
            var folder = Path.Combine(dir.Path, "methods", method.Name);
            var scores = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, EpochSelector.ScoresFile))).RootElement
                .EnumerateArray().Select(p => p.GetProperty("score").GetDouble()).ToList();
            Assert.Equal(method.Name == "cogltx" ? 3 : int.Parse(results.Settings["baseline_epochs"]), scores.Count);
            Assert.All(scores, s => Assert.Contains(s, new[] { 0, 0.5, 1 }));
            Assert.Equal(scores, method.Curve.Where(c => c.Series == EpochSelector.CurveSeries).Select(c => c.Value));
            Assert.Equal(scores.Max(), method.Metrics["validation_accuracy"]);
            var best = scores.IndexOf(scores.Max());
            Assert.Contains($"epoch {best + 1} tested (best)", method.Note);
            Assert.NotNull(Nn.CheckpointStore.Find(Path.Combine(folder, EpochSelector.BestFolder)));
        }
    }

    [Fact]
    public void Run_WithValidationSplit_InterruptedInTheLastEpoch_ResumesToTheUninterruptedResult()
    {
        string[] methods = ["cogltx", "head"];
        ExperimentConfig Config() => Tiny("synthetic-cls", methods, epochs: 2, validation: 2, select: "best_validation");
        using var straightDir = new TempDir();
        var straight = new ExperimentRunner(Config(), straightDir.Path, new RunnerOptions { Commit = "test" }).Run();

        using var dir = new TempDir();
        for (var round = 0; round < 2; round++)
        {
            using var cts = new CancellationTokenSource();
            var method = methods[round];
            var stop = new Stop(p =>
            {
                if (p.Method == method && p.Stage == "train" && p.Fraction > 0.6 && p.Fraction < 1) cts.Cancel();
            });
            Assert.ThrowsAny<OperationCanceledException>(() => new ExperimentRunner(Config(), dir.Path).Run(stop, cts.Token));
        }
        var results = new ExperimentRunner(Config(), dir.Path, new RunnerOptions { Commit = "test" }).Run();
        for (var i = 0; i < methods.Length; i++)
        {
            Assert.Equal(straight.Methods[i].Outcomes, results.Methods[i].Outcomes);
            Assert.Equal(straight.Methods[i].Metrics["validation_accuracy"], results.Methods[i].Metrics["validation_accuracy"]);
            Assert.Equal(straight.Methods[i].Curve.Where(c => c.Series == EpochSelector.CurveSeries),
                results.Methods[i].Curve.Where(c => c.Series == EpochSelector.CurveSeries));
        }
    }

    [Fact]
    public void Run_OtherConfigurationInTheSameFolder_IsRefused()
    {
        using var dir = new TempDir();
        new ExperimentRunner(Tiny("synthetic-cls", ["head"]), dir.Path, new RunnerOptions { Commit = "test" }).Run();
        var other = Tiny("synthetic-cls", ["head"]) with { Training = new TrainingConfig { Seed = 7 } };
        var e = Assert.Throws<ExperimentConfigException>(() => new ExperimentRunner(other, dir.Path).Run());
        Assert.Contains("different configuration", e.Message);
    }

    [Fact]
    public void Run_MissingRealDataset_NamesTheDataDirectory()
    {
        using var dir = new TempDir();
        var config = ExperimentConfig.Parse("""{ "name": "x", "dataset": { "name": "bbc" }, "methods": ["head"] }""");
        var e = Assert.Throws<ExperimentConfigException>(() => new ExperimentRunner(config, dir.Path, new RunnerOptions { DataDir = Path.Combine(dir.Path, "nowhere") }).Run());
        Assert.Contains("nowhere", e.Message);
        Assert.Contains("dataset.name", e.Message);
    }

    private sealed class Stop(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
