using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>bench bert --json</c> on a tiny model's sizes: each figure carries, per timed repeat, its seconds, the collector's
/// pause, the gen-2 collections and the page faults, so a slow repeat can be attributed.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BenchBertTests
{
    [Fact]
    public void Json_GivesEachRepeatsTimeGcPauseCollectionsAndPageFaults()
    {
        using var dir = new TempDir();
        var run = Cli.Ok(Cli.Run(null, "bench", "bert", "--config", TinyConfig(dir), "--seq", "16", "--batch", "2", "--repeats", "3", "--threads", "1", "--json"));
        using var json = JsonDocument.Parse(run.Stdout);
        foreach (var figure in new[] { "forward", "train_step" })
        {
            var f = json.RootElement.GetProperty(figure);
            var times = f.GetProperty("times_s").EnumerateArray().Select(e => e.GetDouble()).ToList();
            var pauses = f.GetProperty("gc_pause_s").EnumerateArray().Select(e => e.GetDouble()).ToList();
            var gen2 = f.GetProperty("gen2_collections").EnumerateArray().Select(e => e.GetInt32()).ToList();
            var faults = f.GetProperty("minor_faults").EnumerateArray().Select(e => e.GetInt64()).ToList();
            Assert.Equal(3, times.Count);
            Assert.Equal(3, pauses.Count);
            Assert.Equal(3, gen2.Count);
            Assert.Equal(3, faults.Count);
            Assert.All(times.Zip(pauses), p => Assert.InRange(p.Second, 0, p.First));
            Assert.All(gen2, g => Assert.True(g >= 0));
            Assert.All(faults, n => Assert.True(OperatingSystem.IsLinux() ? n >= 0 : n == -1, $"page faults {n}"));
        }
        Assert.True(json.RootElement.GetProperty("train_step").GetProperty("buffer_pool").GetBoolean());
        Assert.True(json.RootElement.GetProperty("forward").GetProperty("buffer_pool").GetBoolean());
    }

    [Fact]
    public void NoBufferPool_IsRecordedInTheTrainFigure()
    {
        using var dir = new TempDir();
        var run = Cli.Ok(Cli.Run(null, "bench", "bert", "--config", TinyConfig(dir), "--seq", "16", "--batch", "2", "--repeats", "2", "--threads", "1", "--json", "--no-buffer-pool"));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("train_step").GetProperty("buffer_pool").GetBoolean());
        Assert.False(json.RootElement.GetProperty("forward").GetProperty("buffer_pool").GetBoolean());
    }

    /// <summary>A one-layer BERT config with hidden size 16: every figure takes milliseconds.</summary>
    private static string TinyConfig(TempDir dir)
    {
        var path = dir.File("config.json");
        File.WriteAllText(path, """
            {"model_type": "bert", "vocab_size": 100, "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
             "intermediate_size": 32, "max_position_embeddings": 64, "type_vocab_size": 2}
            """);
        return path;
    }
}
