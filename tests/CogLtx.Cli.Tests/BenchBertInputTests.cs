using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>bench bert</c>'s inputs: the torch peer's figures from <c>--peer</c> beside ours, the plain summary, and a clear
/// error, before any measuring, for each bad size, config, sequence length and peer file.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BenchBertInputTests
{
    [Fact]
    public void Peer_FigureForTheSameConfigBatchAndLength_IsPutBesideOursWithTheRatio()
    {
        using var dir = new TempDir();
        var peer = dir.File("peer.json");
        // As bench_bert.py prints it; the run is matched by config name (the --config directory's name), batch and length.
        File.WriteAllText(peer, """
            {"bert": [
              {"config": "tiny", "batch": 1, "seq_len": 32, "forward": {"tokens_per_s": 1.0}},
              {"config": "tiny", "batch": 1, "seq_len": 16, "forward": {"tokens_per_s": 1000.0}, "train_step": {"tokens_per_s": 250.0}}
            ]}
            """);
        var run = Cli.Ok(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "16", "--repeats", "1", "--threads", "1", "--peer", peer, "--json"));
        using var json = JsonDocument.Parse(run.Stdout);
        var r = json.RootElement;
        Assert.Equal("tiny", r.GetProperty("config").GetString());
        var p = r.GetProperty("torch_peer");
        Assert.Equal("--peer file", p.GetProperty("source").GetString());
        Assert.Equal(1000.0, p.GetProperty("forward_tokens_per_s").GetDouble());
        Assert.Equal(250.0, p.GetProperty("train_step_tokens_per_s").GetDouble());
        var ours = r.GetProperty("forward").GetProperty("tokens_per_s").GetDouble();
        Assert.Equal(ours / 1000.0, p.GetProperty("forward_ratio").GetDouble(), 9);
        var oursTrain = r.GetProperty("train_step").GetProperty("tokens_per_s").GetDouble();
        Assert.Equal(oursTrain / 250.0, p.GetProperty("train_step_ratio").GetDouble(), 9);
    }

    [Fact]
    public void Summary_WithoutJson_IsPlainLinesOnStdout_NothingOnStderr()
    {
        using var dir = new TempDir();
        var run = Cli.Ok(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "16", "--batch", "2", "--repeats", "1", "--threads", "1", "--forward-only"));
        Assert.Equal("", run.Stderr);
        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("BertModel tiny batch 2 × seq 16, 1 thread(s), ", lines[0]);
        Assert.Matches(@"^  forward: +[\d.]+ s/iter, \d+ tok/s \(range", lines[1]);
    }

    [Fact]
    public void UnknownSize_ListsTheSizes()
    {
        Cli.Fails(Cli.Run(null, "bench", "bert", "--size", "huge"), "'huge'", "'mini'", "'base'");
    }

    [Fact]
    public void MissingConfig_NamesIt()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", dir.File("no-model")), "bench bert:", "no-model");
    }

    [Fact]
    public void MalformedConfig_NamesTheFile()
    {
        using var dir = new TempDir();
        var config = dir.File("broken.json");
        File.WriteAllText(config, "{\"model_type\": \"bert\", \"hidden_size\": ");
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", config, "--seq", "16"), "bench bert:", "broken.json");
    }

    [Fact]
    public void SeqLongerThanTheConfigsPositions_IsRefused()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "128"), "--seq 128 is longer than the config's 64 positions");
    }

    [Fact]
    public void MissingPeerFile_NamesIt()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "16", "--peer", dir.File("absent-peer.json")), "bench bert:", "absent-peer.json");
    }

    [Fact]
    public void MalformedPeerJson_NamesTheFile()
    {
        using var dir = new TempDir();
        var peer = dir.File("broken-peer.json");
        File.WriteAllText(peer, "{\"bert\": [");
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "16", "--peer", peer), "bench bert:", "broken-peer.json");
    }

    [Fact]
    public void PeerRunWithoutForwardFigure_NamesTheFileAndTheField()
    {
        using var dir = new TempDir();
        var peer = dir.File("partial-peer.json");
        File.WriteAllText(peer, """{"bert": [{"config": "tiny", "batch": 1, "seq_len": 16}]}""");
        Cli.Fails(Cli.Run(null, "bench", "bert", "--config", TinyConfigDirectory(dir), "--seq", "16", "--repeats", "1", "--peer", peer), "partial-peer.json", "forward");
    }

    /// <summary>A directory named "tiny" holding a one-layer BERT config of width 16 and 64 positions.</summary>
    private static string TinyConfigDirectory(TempDir dir)
    {
        var path = Directory.CreateDirectory(dir.File("tiny")).FullName;
        File.WriteAllText(Path.Combine(path, "config.json"), """
            {"model_type": "bert", "vocab_size": 100, "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
             "intermediate_size": 32, "max_position_embeddings": 64, "type_vocab_size": 2}
            """);
        return path;
    }
}
