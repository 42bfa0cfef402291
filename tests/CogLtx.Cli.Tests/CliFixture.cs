using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// What several command tests share, made once through the tool itself: a tiny synthetic data set
/// (<c>data synth</c>), a tiny span-QA model and a tiny multi-label model (<c>train</c>, one layer of width 16).
/// </summary>
public sealed class CliFixture : IDisposable
{
    private readonly TempDir dir = new();

    public CliFixture()
    {
        Synth = Cli.Run(null, "data", "synth", "multihop", "--to", Path.Combine(dir.Path, "syn"), "--train", "3", "--test", "2",
            "--min-tokens", "700", "--max-tokens", "900", "--late-fraction", "0.5");
        using (var reader = new StreamReader(Path.Combine(dir.Path, "syn", "test.jsonl")))
        {
            using var first = JsonDocument.Parse(reader.ReadLine()!);
            Document = first.RootElement.GetProperty("text").GetString()!;
            Question = first.RootElement.GetProperty("question").GetString()!;
        }
        QaModel = Path.Combine(dir.Path, "qa");
        TrainQa = Cli.Run(null, "train", "--out", QaModel, "--data", "synthetic-qa", "--train-count", "4", "--test-count", "2",
            "--epochs", "1", "--layers", "1", "--hidden", "16", "--heads", "2");

        File.WriteAllLines(Path.Combine(dir.Path, "ml-train.jsonl"), MultiLabelLines(0, 6));
        File.WriteAllLines(Path.Combine(dir.Path, "ml-test.jsonl"), MultiLabelLines(6, 2));
        MultiLabelModel = Path.Combine(dir.Path, "ml");
        TrainMultiLabel = Cli.Run(null, "train", "--out", MultiLabelModel, "--data", "jsonl", "--train-file", Path.Combine(dir.Path, "ml-train.jsonl"),
            "--test-file", Path.Combine(dir.Path, "ml-test.jsonl"), "--epochs", "1", "--layers", "1", "--hidden", "16", "--heads", "2", "--no-eval");
    }

    public static string[] MultiLabelNames { get; } = ["sports", "weather"];

    public string Root => dir.Path;

    public CliResult Synth { get; }

    public CliResult TrainQa { get; }

    public CliResult TrainMultiLabel { get; }

    public string QaModel { get; }

    public string MultiLabelModel { get; }

    /// <summary>A synthetic test document (about 800 tokens) and its question.</summary>
    public string Document { get; }

    public string Question { get; }

    /// <summary>A document of about 300 words mixing sports and weather sentences, many blocks long.</summary>
    public static string MultiLabelDocument(int seed)
    {
        string[] sentences =
        [
            "The home team won the football match in the rain.", "A cold storm brought snow to the hills.",
            "The striker scored twice before the break.", "Fog covered the valley until noon.",
            "The coach praised the young runners.", "Strong winds closed the harbour road.",
        ];
        return string.Join(' ', Enumerable.Range(0, 40).Select(i => sentences[(i * 7 + seed) % sentences.Length]));
    }

    private static IEnumerable<string> MultiLabelLines(int from, int count) =>
        Enumerable.Range(from, count).Select(i => JsonSerializer.Serialize(new
        {
            id = $"d{i}",
            text = MultiLabelDocument(i),
            labels = i % 3 == 0 ? MultiLabelNames : [MultiLabelNames[i % 2]],
        }));

    public void Dispose() => dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}
