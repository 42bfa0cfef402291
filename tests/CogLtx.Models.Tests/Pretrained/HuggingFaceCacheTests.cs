using CogLtx.Models.Pretrained;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>Hub ids resolved from a temporary cache laid out as huggingface_hub lays it out (blobs, snapshots, refs/main).</summary>
public sealed class HuggingFaceCacheTests
{
    private const string Commit = "86b5e0934494bd15c9632b12f734a8a67f723594";

    [Fact]
    public void Resolve_HubIdInTheCache_ReturnsTheSnapshotRefsMainNames()
    {
        using var cache = new TempDir();
        var snapshot = AddModel(cache.Path, "org/tiny-bert", Commit);
        Directory.CreateDirectory(Path.Combine(cache.Path, "models--org--tiny-bert", "snapshots", "0000000000000000000000000000000000000000"));
        Assert.Equal(snapshot, PretrainedModels.Resolve("org/tiny-bert", fetchIfMissing: false, hubCache: cache.Path));
        var (model, report) = ModelLoader.Load<BertModel>(PretrainedModels.Resolve("org/tiny-bert", hubCache: cache.Path));
        Assert.True(report.IsExact);
        Assert.Equal(32, model.Config.HiddenSize);
    }

    [Fact]
    public void Resolve_CanonicalNameWithoutOrg_UsesModelsDashDashName()
    {
        using var cache = new TempDir();
        var snapshot = AddModel(cache.Path, "bert-base-uncased", Commit);
        Assert.Equal(Path.Combine(cache.Path, "models--bert-base-uncased", "snapshots", Commit), snapshot);
        Assert.Equal(snapshot, PretrainedModels.Resolve("bert-base-uncased", hubCache: cache.Path));
    }

    [Fact]
    public void Resolve_HubIdNotInTheCache_SaysWhereItLooked()
    {
        using var cache = new TempDir();
        var e = Assert.Throws<DirectoryNotFoundException>(() => PretrainedModels.Resolve("google-bert/bert-base-cased", hubCache: cache.Path));
        Assert.Contains("\"google-bert/bert-base-cased\" is no directory, and not in the Hugging Face cache", e.Message);
        Assert.Contains(Path.Combine(cache.Path, "models--google-bert--bert-base-cased"), e.Message);
    }

    [Fact]
    public void FindSnapshot_RefsMainNamingAMissingSnapshot_IsAnError()
    {
        using var cache = new TempDir();
        AddModel(cache.Path, "org/m", Commit);
        File.WriteAllText(Path.Combine(cache.Path, "models--org--m", "refs", "main"), "deadbeef");
        Assert.Contains("names snapshot \"deadbeef\"", Assert.Throws<InvalidDataException>(() => HuggingFaceCache.FindSnapshot("org/m", cache.Path)).Message);
    }

    [Fact]
    public void FindSnapshot_NoRefsMainButOneSnapshot_UsesIt()
    {
        using var cache = new TempDir();
        var snapshot = AddModel(cache.Path, "org/m", Commit);
        File.Delete(Path.Combine(cache.Path, "models--org--m", "refs", "main"));
        Assert.Equal(snapshot, HuggingFaceCache.FindSnapshot("org/m", cache.Path));
    }

    [Theory]
    [InlineData("bert-base-uncased", true)]
    [InlineData("FacebookAI/roberta-base", true)]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", true)]
    [InlineData("org/name.v2", true)]
    [InlineData("../etc", false)]
    [InlineData("/abs/path", false)]
    [InlineData("a/b/c", false)]
    [InlineData("org--name", false)]
    [InlineData("-bad", false)]
    [InlineData("no such model", false)]
    public void IsHubId_AcceptsHubNamesOnly(string name, bool expected) => Assert.Equal(expected, HuggingFaceCache.IsHubId(name));

    [Fact]
    public void RootFrom_FollowsHuggingFaceHubPrecedence()
    {
        static string Root(params (string Key, string Value)[] vars) =>
            HuggingFaceCache.RootFrom(k => vars.FirstOrDefault(v => v.Key == k).Value, "/home/u");
        Assert.Equal(Path.GetFullPath("/h/cache"), Root(("HF_HUB_CACHE", "/h/cache"), ("HF_HOME", "/hf")));
        Assert.Equal(Path.GetFullPath("/hf/hub"), Root(("HF_HOME", "/hf"), ("XDG_CACHE_HOME", "/x")));
        Assert.Equal(Path.GetFullPath("/x/huggingface/hub"), Root(("XDG_CACHE_HOME", "/x")));
        Assert.Equal(Path.GetFullPath("/home/u/.cache/huggingface/hub"), Root());
    }

    /// <summary>
    /// Lays out <paramref name="hubId"/> as huggingface_hub does: files in blobs/ (named by hash), the snapshot
    /// holding symlinks to them, refs/main holding the commit. The files are bert-tiny's.
    /// </summary>
    private static string AddModel(string root, string hubId, string commit)
    {
        var repo = HuggingFaceCache.RepoFolder(hubId, root);
        var snapshot = Path.Combine(repo, "snapshots", commit);
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        foreach (var name in new[] { "config.json", "model.safetensors" })
        {
            var blob = Path.Combine(repo, "blobs", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))));
            File.Copy(Path.Combine(Fixtures.ModelDir("bert-tiny"), name), blob);
            File.CreateSymbolicLink(Path.Combine(snapshot, name), Path.Combine("..", "..", "blobs", Path.GetFileName(blob)));
        }
        File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);
        return snapshot;
    }
}
