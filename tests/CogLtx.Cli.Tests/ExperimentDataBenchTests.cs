using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary><c>experiment --quick</c>, <c>data list|synth</c> and <c>bench engine</c>.</summary>
[Collection(CliCollection.Name)]
public sealed class ExperimentDataBenchTests(CliFixture fixture)
{
    [Fact]
    public void ExperimentQuick_PrintsTheResultsTableOnStdout_ProgressOnStderr()
    {
        using var dir = new TempDir();
        var config = dir.File("config.json");
        File.Copy(Path.Combine(Cli.RepoRoot, "experiments", "synthetic-cls", "config.json"), config);
        var text = File.ReadAllText(config).Replace("\"head\", \"tail\", \"head-tail\", \"sliding-mean\", \"sliding-max\", \"longformer\"", "\"head\"");
        File.WriteAllText(config, text);
        var run = Cli.Ok(Cli.Run(null, "experiment", config, "--quick", "--out", dir.File("run")));
        Assert.Contains("| cogltx |", run.Stdout);
        Assert.Contains("| head |", run.Stdout);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => Cli.TimestampedLine().IsMatch(l));
        Assert.Contains(run.Stderr.Split('\n'), l => Cli.TimestampedLine().IsMatch(l));
        using var results = JsonDocument.Parse(File.ReadAllText(dir.File(Path.Combine("run", "results.json"))));
        Assert.Equal(JsonValueKind.Object, results.RootElement.ValueKind);
    }

    [Fact]
    public void Experiment_MissingConfig_NamesIt()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "experiment", dir.File("nope.json"), "--quick"), "nope.json");
    }

    [Fact]
    public void Experiment_MalformedConfig_NamesTheFile()
    {
        using var dir = new TempDir();
        var config = dir.File("broken.json");
        File.WriteAllText(config, "{ \"name\": \"x\", ");
        Cli.Fails(Cli.Run(null, "experiment", config, "--quick", "--out", dir.File("run")), "broken.json");
    }

    [Fact]
    public void DataList_PrintsEveryKnownDataset()
    {
        using var dir = new TempDir();
        var run = Cli.Ok(Cli.Run(null, "data", "list", "--data-dir", dir.Path));
        Assert.Contains($"data directory: {dir.Path}", run.Stdout);
        foreach (var name in new[] { "20news", "hotpotqa" })
            Assert.Matches($@"(?m)^{name}\s+\S+\s+missing", run.Stdout);
    }

    [Fact]
    public void DataSynth_WritesTrainTestAndVocab()
    {
        var run = Cli.Ok(fixture.Synth);
        Assert.Contains("3 train + 2 test documents", run.Stdout);
        foreach (var file in new[] { "train.jsonl", "test.jsonl", "vocab.txt" })
            Assert.True(File.Exists(Path.Combine(fixture.Root, "syn", file)), $"no {file}\n{run}");
        Assert.Equal(3, File.ReadAllLines(Path.Combine(fixture.Root, "syn", "train.jsonl")).Length);
        // AutoTokenizer loads a bare vocab.txt only with a tokenizer_config.json naming its class.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Root, "syn", "tokenizer_config.json")));
        Assert.Equal(("BertTokenizer", true, 512),
            (config.RootElement.GetProperty("tokenizer_class").GetString(), config.RootElement.GetProperty("do_lower_case").GetBoolean(), config.RootElement.GetProperty("model_max_length").GetInt32()));
    }

    [Fact]
    public void DataSynth_TooShortDocuments_SaysWhatIsNeeded()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "synth", "multihop", "--to", dir.Path, "--min-tokens", "100"), "612");
    }

    [Fact]
    public void DataSynth_UnknownTask_IsRefused()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "synth", "poetry", "--to", dir.Path), "poetry");
    }

    [Fact]
    public void BenchEngine_Json_HasEverySizeForEachPath()
    {
        var run = Cli.Ok(Cli.Run(null, "bench", "engine", "--sizes", "16,32", "--json"));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1, json.RootElement.GetProperty("threads").GetInt32());
        var managed = json.RootElement.GetProperty("managed");
        Assert.True(managed.GetProperty("16").GetDouble() > 0);
        Assert.True(managed.GetProperty("32").GetDouble() > 0);
        Assert.True(json.RootElement.TryGetProperty("openblas", out _));
    }

    [Fact]
    public void BenchEngine_Threads_OverridesTheEnvironmentsCount()
    {
        // Cli.Run sets COGLTX_THREADS=1; --threads must win over ComputeOptions.Default for the whole measurement.
        var run = Cli.Ok(Cli.Run(null, "bench", "engine", "--sizes", "16", "--threads", "2", "--json"));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("threads").GetInt32());
        Cli.Fails(Cli.Run(null, "bench", "engine", "--sizes", "16", "--threads", "0"), "--threads must be at least 1, got 0");
    }

    [Fact]
    public void BenchEngine_Table_IsPlainText()
    {
        var run = Cli.Ok(Cli.Run(null, "bench", "engine", "--sizes", "16"));
        Assert.Contains("sgemm GFLOP/s", run.Stdout);
        Assert.Contains(Cli.TableRows(run.Stdout), r => r[0] == "16³");
    }

    [Fact]
    public void BenchEngine_BadSizes_SaysWhatItExpects()
    {
        Cli.Fails(Cli.Run(null, "bench", "engine", "--sizes", "16,x"), "--sizes", "'x'");
    }
}
