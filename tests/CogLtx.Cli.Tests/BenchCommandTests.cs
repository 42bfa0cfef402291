using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>bench scaling</c> and <c>bench inference</c> on one-layer encoders of width 16 and a few synthetic documents
/// (seconds each): the figures on stdout, timestamped progress on stderr, and the errors of bad options and configs.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BenchCommandTests
{
    private static readonly string[] TinyScaling = ["bench", "scaling", "--lengths", "612", "--train-docs", "1", "--test-docs", "1", "--layers", "1", "--hidden", "16", "--threads", "1"];

    [Fact]
    public void Scaling_Json_HasOnePointPerLengthWithCogLtxCosts_InSnakeCase()
    {
        var run = Cli.Ok(Cli.Run(null, [.. TinyScaling, "--no-sliding", "--json"]));
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        // --hidden 16 gives heads max(1, 16 / 64) = 1 and intermediate 4 × 16.
        Assert.Equal("BERT L1 H16 A1 I64 from scratch", root.GetProperty("model").GetString());
        Assert.Equal((1, 1, 1), (root.GetProperty("threads").GetInt32(), root.GetProperty("train_documents").GetInt32(), root.GetProperty("test_documents").GetInt32()));
        var point = Assert.Single(root.GetProperty("points").EnumerateArray());
        Assert.Equal(612, point.GetProperty("target_tokens").GetInt32());
        Assert.True(point.GetProperty("mean_tokens").GetDouble() >= 612, $"documents shorter than asked\n{run}");
        var cogltx = point.GetProperty("cog_ltx");
        foreach (var figure in new[] { "train_step_seconds", "infer_seconds_per_document", "units", "encoder_inputs" })
            Assert.True(cogltx.GetProperty(figure).GetDouble() > 0, $"{figure} is not positive\n{run}");
        Assert.Equal(JsonValueKind.Null, point.GetProperty("sliding").ValueKind);
        // One length: no line is fitted, and the fit is null rather than NaN (which JSON cannot hold) or {}.
        Assert.Equal(JsonValueKind.Null, root.GetProperty("inference_fit").ValueKind);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => Cli.TimestampedLine().IsMatch(l));
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Cli.TimestampedLine().IsMatch(l) && l.Contains("CogLTX train"));
    }

    [Fact]
    public void Scaling_Markdown_HasARowWithTheSlidingWindowBesideCogLtx()
    {
        var run = Cli.Ok(Cli.Run(null, TinyScaling));
        Assert.StartsWith("BERT L1 H16 A1 I64 from scratch;", run.Stdout);
        var rows = run.Stdout.Split('\n').Where(l => l.StartsWith("| ") && char.IsDigit(l[2])).ToList();
        var cells = Assert.Single(rows).Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(11, cells.Length);
        Assert.All(cells, c => Assert.NotEqual("", c));
        Assert.Contains("sliding window train peak", run.Stderr);
    }

    [Fact]
    public void Scaling_LengthBelowTheMinimum_SaysTheMinimum()
    {
        Cli.Fails(Cli.Run(null, "bench", "scaling", "--lengths", "100"), "bench scaling:", "at least 612 tokens", "[100]");
    }

    [Fact]
    public void Scaling_NoTrainingDocuments_IsRefused()
    {
        Cli.Fails(Cli.Run(null, "bench", "scaling", "--lengths", "700", "--train-docs", "0"), "bench scaling:", "--train-docs", "must be ≥ 1, got 0");
    }

    [Fact]
    public void Scaling_NonNumericLength_NamesTheValueAndOption()
    {
        Cli.Fails(Cli.Run(null, "bench", "scaling", "--lengths", "long"), "'long'", "--lengths");
    }

    [Fact]
    public void Inference_PrintsTheThreeWaysTable_RoundsOnStderr()
    {
        using var dir = new TempDir();
        var config = TinyClassificationConfig(dir);
        var run = Cli.Ok(Cli.Run(null, "bench", "inference", config, "--docs", "2", "--repeats", "2", "--per-pass", "2", "--threads", "1"));
        Assert.Matches(@"^\S+/tiny\.json: 2 test documents, \d+ tokens on average; seconds per evaluation, median \(range\) of 2", run.Stdout);
        foreach (var way in new[] { "CogLTX, one document at a time", "CogLTX, 2 documents per pass", "head truncation (batched as the runner does)" })
            Assert.Matches($@"(?m)^\| {System.Text.RegularExpressions.Regex.Escape(way)} \| [\d.]+ \([\d.]+–[\d.]+\) \| [\d.]+ \|$", run.Stdout);
        Assert.Contains("same predictions (labels, key blocks): yes", run.Stdout);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => Cli.TimestampedLine().IsMatch(l));
        var progress = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(progress, l => Assert.Matches(Cli.TimestampedLine(), l));
        Assert.Equal(["warm-up", "round 1/2", "round 2/2"], progress.Select(l => l[11..l.IndexOf(':', 11)]));
    }

    [Fact]
    public void Inference_MissingConfig_NamesIt()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "bench", "inference", dir.File("absent.json")), "bench inference:", "not found", "absent.json");
    }

    [Fact]
    public void Inference_MalformedConfig_NamesTheFile()
    {
        using var dir = new TempDir();
        var config = dir.File("broken.json");
        File.WriteAllText(config, "{ \"name\": \"x\", ");
        Cli.Fails(Cli.Run(null, "bench", "inference", config), "bench inference:", "broken.json");
    }

    [Fact]
    public void Inference_ConfigFieldOfTheWrongType_NamesTheField()
    {
        using var dir = new TempDir();
        var config = dir.File("typo.json");
        File.WriteAllText(config, """{"name": "x", "dataset": {"name": "synthetic-cls", "synthetic": {"train_count": "many"}}, "methods": ["cogltx"]}""");
        Cli.Fails(Cli.Run(null, "bench", "inference", config), "typo.json", "dataset.synthetic.train_count");
    }

    [Fact]
    public void Inference_DataSetMissingFromTheDataDirectory_SaysHowToFetchIt()
    {
        using var dir = new TempDir();
        var config = dir.File("news.json");
        File.WriteAllText(config, """
            {"name": "tiny-20news", "dataset": {"name": "20news"}, "model": {"layers": 1, "hidden": 16, "heads": 2, "intermediate": 32},
             "methods": ["cogltx", "head"]}
            """);
        var data = Directory.CreateDirectory(dir.File("data")).FullName;
        Cli.Fails(Cli.Run(null, "bench", "inference", config, "--data-dir", data), "dataset 20news not found", data, "cogltx data get 20news");
    }

    [Fact]
    public void Inference_NoDocuments_IsRefused()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "bench", "inference", TinyClassificationConfig(dir), "--docs", "0"), "--docs must be at least 1, got 0");
    }

    /// <summary>Synthetic key-sentence classification with two short test documents and a one-layer encoder of width 16.</summary>
    private static string TinyClassificationConfig(TempDir dir)
    {
        var path = dir.File("tiny.json");
        File.WriteAllText(path, """
            {
              "name": "tiny-cls",
              "dataset": {"name": "synthetic-cls", "synthetic": {"train_count": 2, "test_count": 2, "min_tokens": 700, "max_tokens": 800, "seed": 1}},
              "vocab": {"max_size": 500},
              "model": {"layers": 1, "hidden": 16, "heads": 2, "intermediate": 32},
              "training": {"epochs": 1, "batch_size": 2, "seed": 1},
              "methods": ["cogltx", "head"]
            }
            """);
        return path;
    }
}
