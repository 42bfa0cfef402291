using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>data get</c> from a local mirror (<c>--from</c>), the only way it succeeds without the network: HotpotQA's mirror
/// subset (hotpot_train_100.json + hotpot_dev_distractor_500.jsonl), which is verified by its record counts, so a
/// mirror of stub records is enough. An explicit <c>--from</c> never falls back to downloading.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class DataGetCommandTests
{
    private const string Train = "hotpot_train_100.json";
    private const string Dev = "hotpot_dev_distractor_500.jsonl";

    [Fact]
    public void FromMirror_CopiesAndVerifiesEachFile_ThenFindsThemPresent()
    {
        using var mirror = Mirror(trainRecords: 100);
        using var data = new TempDir();
        var first = Cli.Ok(Cli.Run(null, "data", "get", "hotpotqa", "--from", mirror.Path, "--to", data.Path));
        var target = Path.Combine(data.Path, "hotpotqa");
        Assert.Equal(
            [$"hotpotqa: copied {Path.Combine(target, Train)} (100 questions)", $"hotpotqa: copied {Path.Combine(target, Dev)} (500 questions)"],
            Lines(first.Stdout));
        Assert.Contains($"copying {Path.Combine(mirror.Path, "hotpotqa", Train)} → {Path.Combine(target, Train)}", first.Stderr);
        Assert.DoesNotContain("copying", first.Stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(mirror.Path, Dev)), File.ReadAllBytes(Path.Combine(target, Dev)));
        Assert.Empty(Directory.GetFiles(target, "*.part"));

        var second = Cli.Ok(Cli.Run(null, "data", "get", "hotpotqa", "--from", mirror.Path, "--to", data.Path));
        Assert.Equal(
            [$"hotpotqa: present {Path.Combine(target, Train)} (100 questions)", $"hotpotqa: present {Path.Combine(target, Dev)} (500 questions)"],
            Lines(second.Stdout));
        Assert.DoesNotContain("copying", second.Stderr);

        var list = Cli.Ok(Cli.Run(null, "data", "list", "--data-dir", data.Path));
        Assert.Matches(@"(?m)^hotpotqa\s+\S+\s+present \(mirror subset, [\d.]+ MB\)", list.Stdout);
    }

    [Fact]
    public void UnknownDataset_NamesItAndTheKnownOnes()
    {
        using var data = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "get", "poetry", "--to", data.Path), "unknown dataset 'poetry'", "20news", "hotpotqa", "bbc");
        Assert.Empty(Directory.EnumerateFileSystemEntries(data.Path));
    }

    [Fact]
    public void MissingMirror_NamesTheDirectory()
    {
        using var data = new TempDir();
        var mirror = data.File("no-such-mirror");
        Cli.Fails(Cli.Run(null, "data", "get", "hotpotqa", "--from", mirror, "--to", data.File("target")), $"mirror directory {mirror} does not exist");
    }

    [Fact]
    public void MirrorWithoutTheDataset_NamesTheFilesItLookedFor()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "get", "bbc", "--from", mirror.Path, "--to", data.Path), "no complete copy of bbc", "bbc-fulltext.zip", "bbc-fulltext.tar.gz");
    }

    [Fact]
    public void MirrorFileWithTooFewRecords_FailsVerificationAndLeavesNoFile()
    {
        using var mirror = Mirror(trainRecords: 99);
        using var data = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "get", "hotpotqa", "--from", mirror.Path, "--to", data.Path), Train, "expected 100 questions, found 99");
        Assert.Empty(Directory.GetFiles(data.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void TruncatedMirrorFile_FailsVerificationNamingTheFile()
    {
        using var mirror = Mirror(trainRecords: 100);
        var train = Path.Combine(mirror.Path, "hotpotqa", Train);
        var text = File.ReadAllText(train);
        File.WriteAllText(train, text[..text.IndexOf("train-10", StringComparison.Ordinal)]);
        using var data = new TempDir();
        Cli.Fails(Cli.Run(null, "data", "get", "hotpotqa", "--from", mirror.Path, "--to", data.Path), Train, "content check failed", "truncated");
        Assert.Empty(Directory.GetFiles(data.Path, "*", SearchOption.AllDirectories));
    }

    /// <summary>A mirror holding the subset in both layouts the fetcher accepts: the dataset's folder, and the mirror root.</summary>
    private static TempDir Mirror(int trainRecords)
    {
        var mirror = new TempDir();
        Directory.CreateDirectory(Path.Combine(mirror.Path, "hotpotqa"));
        File.WriteAllText(Path.Combine(mirror.Path, "hotpotqa", Train),
            JsonSerializer.Serialize(Enumerable.Range(0, trainRecords).Select(i => new { _id = $"train-{i}" })));
        File.WriteAllLines(Path.Combine(mirror.Path, Dev), Enumerable.Range(0, 500).Select(i => JsonSerializer.Serialize(new { _id = $"dev-{i}" })));
        return mirror;
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
