using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary><c>data export</c>: one split of a known dataset as JSONL, the other split never in it.</summary>
[Collection(CliCollection.Name)]
public sealed class DataExportTests
{
    private const int Articles = 20;

    [Fact]
    public void Export_WritesEachSplitOnce_ByTheReadersHashRule()
    {
        using var dir = new TempDir();
        WriteHyperpartisan(dir.Path);
        var train = ExportedIds(dir, "train");
        var test = ExportedIds(dir, "test");

        // The reader's documented rule (HyperpartisanReader): test when FNV-1a of the id is 0 modulo 5.
        var expectedTest = Enumerable.Range(1, Articles).Select(i => $"a{i}").Where(id => Fnv1a(id) % 5 == 0).ToHashSet();
        Assert.NotEmpty(expectedTest);
        Assert.Equal(expectedTest, test.Keys.ToHashSet());
        Assert.Empty(train.Keys.Intersect(test.Keys));
        Assert.Equal(Articles, train.Count + test.Count);
        // The text is the title line and one line per paragraph, as the experiments read it.
        Assert.Equal("Title a3\nFirst paragraph of a3.\nSecond paragraph, with a link.", (train.TryGetValue("a3", out var a3) ? a3 : test["a3"]).Text);
        Assert.All(train.Values.Concat(test.Values), e => Assert.Equal(int.Parse(e.Id[1..]) % 3 == 0 ? "true" : "false", e.Label));
    }

    [Fact]
    public void Export_MissingDataset_NamesTheFolderAndTheFix()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "export", "hyperpartisan", "--split", "train", "--out", dir.File("x.jsonl"), "--data-dir", dir.Path),
            Path.Combine(dir.Path, "hyperpartisan"), "cogltx data get hyperpartisan");
        Assert.False(File.Exists(dir.File("x.jsonl")));
    }

    [Fact]
    public void Export_UnknownDatasetOrSplit_IsRefused()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "export", "poetry", "--split", "train", "--out", dir.File("x.jsonl"), "--data-dir", dir.Path), "unknown dataset 'poetry'");
        Cli.Fails(Cli.Run(null, "data", "export", "hyperpartisan", "--split", "dev", "--out", dir.File("x.jsonl"), "--data-dir", dir.Path), "dev");
    }

    [Fact]
    public void Export_MalformedFile_NamesIt()
    {
        using var dir = new TempDir();
        WriteHyperpartisan(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "hyperpartisan", "ground-truth-training-byarticle-20181122.xml"), "<articles><article id=\"a1\" hyperpartisan=\"maybe\"/></articles>");
        Cli.Fails(Cli.Run(null, "data", "export", "hyperpartisan", "--split", "train", "--out", dir.File("x.jsonl"), "--data-dir", dir.Path), "ground-truth-training-byarticle-20181122.xml");
        Assert.False(File.Exists(dir.File("x.jsonl")));
    }

    private static Dictionary<string, (string Id, string Text, string Label)> ExportedIds(TempDir dir, string split)
    {
        var path = dir.File($"{split}.jsonl");
        var run = Cli.Ok(Cli.Run(null, "data", "export", "hyperpartisan", "--split", split, "--out", path, "--data-dir", dir.Path));
        var lines = File.ReadAllLines(path);
        Assert.Contains($"hyperpartisan {split}: {lines.Length} documents", run.Stdout);
        return lines.Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("id").GetString()!, root.GetProperty("text").GetString()!, root.GetProperty("label").GetString()!);
        }).ToDictionary(e => e.Item1);
    }

    /// <summary>The "extracted" file set of the catalog: an articles XML and its ground truth.</summary>
    private static void WriteHyperpartisan(string dataDir)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDir, "hyperpartisan")).FullName;
        var ids = Enumerable.Range(1, Articles).Select(i => $"a{i}").ToList();
        File.WriteAllText(Path.Combine(folder, "articles-training-byarticle-20181122.xml"),
            "<articles>" + string.Concat(ids.Select(id =>
                $"<article id=\"{id}\" title=\"Title {id}\"><p>First paragraph of {id}.</p><p>Second   paragraph, with <a href=\"x\">a link</a>.</p></article>")) + "</articles>");
        File.WriteAllText(Path.Combine(folder, "ground-truth-training-byarticle-20181122.xml"),
            "<articles>" + string.Concat(ids.Select(id => $"<article id=\"{id}\" hyperpartisan=\"{(int.Parse(id[1..]) % 3 == 0 ? "true" : "false")}\"/>")) + "</articles>");
    }

    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
