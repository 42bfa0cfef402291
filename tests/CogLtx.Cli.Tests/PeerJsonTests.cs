using CogLtx.Cli.Commands;

namespace CogLtx.Cli.Tests;

/// <summary>The torch peer's JSON as <c>bench bert|longformer --peer</c> read it, and the errors a bad file gives.</summary>
[Collection(CliCollection.Name)]
public sealed class PeerJsonTests(CliFixture fixture)
{
    // Shaped as bench_bert.py prints it, with the UCX line Debian's torch can put before the JSON.
    private const string PeerOutput = """
        [1733440000.0] UCX  ERROR failed to get boot id
        {"meta": {"script": "bench_bert.py"}, "bert": [],
         "longformer": [
          {"seq_len": 2048, "forward": {"tokens_per_s": 14600.5}, "train_step": {"tokens_per_s": 3600.25}},
          {"seq_len": 4096, "forward": {"tokens_per_s": 16100.0}}
         ]}
        """;

    [Fact]
    public void Longformer_ReadsEachLengthsForwardAndTrainFigures()
    {
        using var dir = new TempDir();
        var path = dir.File("peer.json");
        File.WriteAllText(path, PeerOutput);
        var figures = PeerJson.Longformer(PeerJson.Read(path), path);
        Assert.Equal([2048, 4096], figures.Keys.Order());
        Assert.Equal((14600.5, 3600.25), figures[2048]);
        Assert.Equal((16100.0, 0.0), figures[4096]);
    }

    [Fact]
    public void Longformer_PeerThatSkippedLongformer_GivesNoFigures()
    {
        using var dir = new TempDir();
        var path = dir.File("peer.json");
        File.WriteAllText(path, """{"bert": [], "longformer": []}""");
        Assert.Empty(PeerJson.Longformer(PeerJson.Read(path), path));
    }

    [Fact]
    public void BenchLongformer_MalformedPeer_NamesTheFileBeforeMeasuring()
    {
        _ = fixture;
        using var dir = new TempDir();
        var path = dir.File("broken-peer.json");
        File.WriteAllText(path, "{\"longformer\": [");
        Cli.Fails(Cli.Run(null, "bench", "longformer", "--lengths", "1024", "--peer", path), "broken-peer.json");
        Cli.Fails(Cli.Run(null, "bench", "longformer", "--lengths", "1024", "--peer", dir.File("missing.json")), "missing.json");
    }
}
