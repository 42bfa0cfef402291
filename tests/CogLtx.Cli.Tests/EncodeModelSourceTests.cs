namespace CogLtx.Cli.Tests;

/// <summary><c>encode --model</c> and <c>train --pretrained</c> on a pytorch_model.bin folder and on hub ids from a Hugging Face cache.</summary>
public sealed class EncodeModelSourceTests
{
    private static readonly string Input = Path.Combine(Cli.Fixture("models", "bert-tiny"), "expected.safetensors");

    [Fact]
    public void Encode_FolderWithOnlyPytorchModelBin_Runs()
    {
        using var dir = new TempDir();
        var run = Cli.Ok(Cli.Run(null, "encode", "--model", Cli.Fixture("torch", "bert-tiny-bin"), "--input", Input, "--output", dir.File("o.safetensors")));
        Assert.Matches(@"(?m)^last_hidden_state \[2, 12, 32\]$", run.Stdout);
    }

    [Fact]
    public void Encode_ShardedBinMissingAShard_NamesTheShard()
    {
        using var dir = new TempDir();
        var model = dir.File("model");
        Directory.CreateDirectory(model);
        foreach (var file in new[] { "config.json", "pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin" })
            File.Copy(Path.Combine(Cli.Fixture("torch", "bert-tiny-bin-sharded"), file), Path.Combine(model, file));
        Cli.Fails(Cli.Run(null, "encode", "--model", model, "--input", Input, "--output", dir.File("o.safetensors")), "pytorch_model-00002-of-00002.bin");
    }

    [Fact]
    public void Encode_HubIdInTheCache_RunsTheSnapshot()
    {
        using var cache = new TempDir();
        var snapshot = Path.Combine(cache.Path, "models--org--tiny", "snapshots", "abc123");
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(cache.Path, "models--org--tiny", "refs"));
        File.WriteAllText(Path.Combine(cache.Path, "models--org--tiny", "refs", "main"), "abc123");
        foreach (var file in new[] { "config.json", "pytorch_model.bin" })
            File.Copy(Path.Combine(Cli.Fixture("torch", "bert-tiny-bin"), file), Path.Combine(snapshot, file));
        var run = Cli.Ok(Cli.RunWithEnvironment(new Dictionary<string, string> { ["HF_HUB_CACHE"] = cache.Path },
            "encode", "--model", "org/tiny", "--input", Input, "--output", cache.File("o.safetensors")));
        Assert.Matches(@"(?m)^pooler_output \[2, 32\]$", run.Stdout);
    }

    [Fact]
    public void Encode_HubIdNotInTheCache_SaysWhereItLooked()
    {
        using var cache = new TempDir();
        Cli.Fails(Cli.RunWithEnvironment(new Dictionary<string, string> { ["HF_HUB_CACHE"] = cache.Path },
            "encode", "--model", "org/absent", "--input", Input, "--output", cache.File("o.safetensors")),
            "\"org/absent\" is no directory, and not in the Hugging Face cache", Path.Combine(cache.Path, "models--org--absent"));
    }

    [Fact]
    public void Train_PretrainedHubIdNotInTheCache_FailsWithoutAStackTrace()
    {
        using var cache = new TempDir();
        var run = Cli.RunWithEnvironment(new Dictionary<string, string> { ["HF_HUB_CACHE"] = cache.Path },
            "train", "--out", cache.File("run"), "--pretrained", "org/absent");
        Cli.Fails(run, "train: ", "not in the Hugging Face cache");
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}
