using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>models list</c> and <c>models get</c> against a private model cache (COGLTX_MODELS): the table and the directory
/// on stdout, progress on stderr. The one real conversion reads MiniLM from the NuGet global packages folder, which
/// this project's restore fills (PackageDownload in the csproj), so no test needs the network.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ModelsCommandTests
{
    private static readonly string TinyBert = Cli.Fixture("models", "bert-tiny");

    [Fact]
    public void List_EmptyCache_ShowsEveryKnownModelAsMissing()
    {
        using var cache = new TempDir();
        var run = Cli.Ok(Cli.RunWithEnvironment(Cache(cache), "models", "list"));
        Assert.Equal("", run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"cache: {cache.Path}", lines[0]);
        foreach (var name in new[] { "minilm", "arctic-xs" })
            Assert.Matches($@"(?m)^{name}\s+SentenceTransformers\.\S+ [\d.]+\s+\(fetch to read\)\s+missing\s+{Regex(Path.Combine(cache.Path, name))}$", run.Stdout);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void List_CachedModel_ShowsItsSizesReadFromItsConfig()
    {
        using var cache = new TempDir();
        CopyTinyBert(Path.Combine(cache.Path, "minilm"));
        var run = Cli.Ok(Cli.RunWithEnvironment(Cache(cache), "models", "list"));
        // bert-tiny's config: 2 layers, hidden 32, 4 heads, intermediate 37, vocabulary 1000.
        Assert.Matches(@"(?m)^minilm\s+\S+ \S+\s+L2 H32 A4 I37 V1000\s+cached\s", run.Stdout);
        Assert.Matches(@"(?m)^arctic-xs\s+\S+ \S+\s+\(fetch to read\)\s+missing\s", run.Stdout);
    }

    [Fact]
    public void List_CachedModelWithMalformedConfig_SaysUnreadableAndStillLists()
    {
        using var cache = new TempDir();
        var dir = Path.Combine(cache.Path, "minilm");
        CopyTinyBert(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"hidden_size\": ");
        var run = Cli.Ok(Cli.RunWithEnvironment(Cache(cache), "models", "list"));
        Assert.Matches(@"(?m)^minilm\s+\S+ \S+\s+\(unreadable config\)\s+cached\s", run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void Get_Minilm_ConvertsThePackage_PrintsOnlyTheDirectory()
    {
        using var cache = new TempDir();
        var dir = Path.Combine(cache.Path, "out", "minilm");
        var run = Cli.Ok(Cli.RunWithEnvironment(Cache(cache), "models", "get", "minilm", "--out", dir));
        Assert.Equal(dir + "\n", run.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("converting", run.Stderr);
        Assert.Contains($"wrote {dir}", run.Stderr);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json")));
        // all-MiniLM-L6-v2: 6 layers of width 384.
        Assert.Equal((6, 384), (config.RootElement.GetProperty("num_hidden_layers").GetInt32(), config.RootElement.GetProperty("hidden_size").GetInt32()));
        Assert.True(new FileInfo(Path.Combine(dir, "model.safetensors")).Length > 80_000_000, "model.safetensors is smaller than MiniLM's 22.7 M float32 parameters");
        Assert.True(File.Exists(Path.Combine(dir, "vocab.txt")), $"no vocab.txt in {dir}");
    }

    [Fact]
    public void Get_CompleteDirectoryInTheCache_IsANoOpThatPrintsIt()
    {
        using var cache = new TempDir();
        var dir = Path.Combine(cache.Path, "minilm");
        CopyTinyBert(dir);
        var run = Cli.Ok(Cli.RunWithEnvironment(Cache(cache), "models", "get", "minilm"));
        Assert.Equal(dir + "\n", run.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains($"minilm is already at {dir}", run.Stderr);
        // Still the tiny fixture: nothing was converted over it.
        Assert.Equal(File.ReadAllBytes(Path.Combine(TinyBert, "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "model.safetensors")));
    }

    [Fact]
    public void Get_UnknownModel_NamesItAndTheKnownOnes()
    {
        using var cache = new TempDir();
        Cli.Fails(Cli.RunWithEnvironment(Cache(cache), "models", "get", "gpt-huge"), "\"gpt-huge\"", "minilm", "arctic-xs");
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache.Path));
    }

    [Fact]
    public void Get_IncompleteOutDirectory_IsRefusedAndLeftAsItWas()
    {
        using var cache = new TempDir();
        var dir = Path.Combine(cache.Path, "half");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
        Cli.Fails(Cli.RunWithEnvironment(Cache(cache), "models", "get", "minilm", "--out", dir), dir, "not a complete model directory");
        Assert.Equal([Path.Combine(dir, "config.json")], Directory.GetFileSystemEntries(dir));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(dir, "config.json")));
    }

    private static Dictionary<string, string> Cache(TempDir cache) => new() { ["COGLTX_MODELS"] = cache.Path };

    private static void CopyTinyBert(string dir)
    {
        Directory.CreateDirectory(dir);
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(TinyBert, file), Path.Combine(dir, file));
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
