using System.Text.Json;
using System.Text.Json.Nodes;

namespace CogLtx.Cli.Tests;

/// <summary><c>predict --shard I/N</c> and <c>predict-merge</c> on the fixture's tiny QA model.</summary>
[Collection(CliCollection.Name)]
public sealed class PredictShardTests(CliFixture fixture)
{
    /// <summary>Seven documents on lines 2 to 8 (blank first and last lines), so shards 0, 1, 2 of 3 get 2, 3 and 2 of them.</summary>
    internal static string Input(CliFixture fixture) => string.Join('\n', Enumerable.Range(0, 7).Select(i =>
        JsonSerializer.Serialize(new { id = $"d{i}", question = fixture.Question, text = string.Join(' ', fixture.Document.Split(' ').Skip(i * 11)) }))
        .Prepend("").Append(""));

    [Fact]
    public void ThreeShards_Merged_EqualOnePredict_ApartFromTiming()
    {
        using var dir = new TempDir();
        var input = Input(fixture);
        File.WriteAllText(dir.File("in.jsonl"), input);
        var whole = Cli.Ok(Cli.Run(input, "predict", "--model", fixture.QaModel)).Stdout;
        var shards = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = Cli.Ok(Cli.Run(input, "predict", "--model", fixture.QaModel, "--shard", $"{i}/3"));
            shards.Add(dir.File($"shard-{i}.jsonl"));
            File.WriteAllText(shards[^1], run.Stdout);
            Assert.Equal(i == 1 ? 3 : 2, Lines(run.Stdout).Count);
        }

        var merged = Cli.Ok(Cli.Run(null, ["predict-merge", "--input", dir.File("in.jsonl"), .. shards.AsEnumerable().Reverse()])).Stdout;

        Assert.Equal(WithoutTiming(whole), WithoutTiming(merged));
        Assert.Equal(7, Lines(merged).Count);
    }

    [Fact]
    public void Merge_MissingOrDuplicatedLines_AreNamed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\": \"a\"}\n\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n");
        File.WriteAllText(dir.File("s0.jsonl"), "{\"id\": 1, \"line\": 1}\n{\"id\": 3, \"line\": 3}\n");
        File.WriteAllText(dir.File("s1.jsonl"), "{\"id\": 3, \"line\": 3}\n{\"id\": 9, \"line\": 9}\n");

        Cli.Fails(Cli.Run(null, "predict-merge", "--input", dir.File("in.jsonl"), dir.File("s0.jsonl"), dir.File("s1.jsonl")),
            "input line 3 predicted twice", "s1.jsonl line 1", "s1.jsonl line 2: line 9 is not a non-blank line", "1 input lines have no prediction: 4");
    }

    [Fact]
    public void Merge_MissingShards_AreAllNamed_WithTheirTasksLogs()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n");
        File.WriteAllText(dir.File("s1.jsonl"), "{\"id\": 2, \"line\": 2}\n");
        File.WriteAllText(dir.File("shard-0.log"), "predict: stdin line 1: not valid JSON\n");

        Cli.Fails(Cli.Run(null, "predict-merge", "--input", dir.File("in.jsonl"), "--log", dir.File("shard-0.log"), "--log", dir.File("shard-1.log"),
                "--log", dir.File("shard-2.log"), dir.File("s0.jsonl"), dir.File("s1.jsonl"), dir.File("s2.jsonl")),
            "2 of 3 shards missing", $"shard output not found: {dir.File("s0.jsonl")} (its task's log: {dir.File("shard-0.log")})",
            $"shard output not found: {dir.File("s2.jsonl")} (its task's log: {dir.File("shard-2.log")}, not written)");
    }

    [Fact]
    public void Merge_LogsNotOnePerShard_AreRefused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\": \"a\"}\n");
        Cli.Fails(Cli.Run(null, "predict-merge", "--input", dir.File("in.jsonl"), "--log", dir.File("a.log"), dir.File("s0.jsonl"), dir.File("s1.jsonl")),
            "--log given 1 times for 2 shard files");
    }

    [Fact]
    public void Shard_OutOfRange_IsRefused() =>
        Cli.Fails(Cli.Run("", "predict", "--model", fixture.QaModel, "--shard", "3/3"), "--shard must be I/N with 0 ≤ I < N", "\"3/3\"");

    internal static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    internal static List<string> WithoutTiming(string jsonl) => [.. Lines(jsonl).Select(l =>
    {
        var o = JsonNode.Parse(l)!.AsObject();
        o.Remove("elapsed_ms");
        return o.ToJsonString();
    })];
}
