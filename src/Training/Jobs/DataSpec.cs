using CogLtx.Data;
using CogLtx.Tensors;

namespace CogLtx.Training.Jobs;

/// <summary>
/// Which data a job reads and how much of it: a synthetic task (generated, no download), a known data set read from
/// the data directory, or a pair of long-document JSONL files. <c>cogltx train</c>'s recipe and <c>cogltx experiment</c>'s
/// config both describe their data as one of these, and <see cref="Load"/> is the one place it is read.
/// </summary>
public sealed record DataSpec
{
    /// <summary>Data name of the synthetic QA task.</summary>
    public const string SyntheticQa = "synthetic-qa";
    /// <summary>Data name of the synthetic classification task.</summary>
    public const string SyntheticCls = "synthetic-cls";
    /// <summary>Data name of JSON Lines files (<see cref="TrainFile"/>, <see cref="TestFile"/>).</summary>
    public const string Jsonl = "jsonl";

    /// <summary>synthetic-qa, synthetic-cls, jsonl, or a known data set's name or folder (<see cref="KnownDatasets.Find"/>).</summary>
    public string Name { get; init; } = SyntheticQa;

    /// <summary>Folder of the real data sets; null: COGLTX_DATA, else ./data (<see cref="DataDirectory.Resolve(string?)"/>).</summary>
    public string? DataDir { get; init; }

    /// <summary>Training and test files of <see cref="Jsonl"/> data.</summary>
    public string? TrainFile { get; init; }

    /// <summary>Test file of <see cref="Jsonl"/> data.</summary>
    public string? TestFile { get; init; }

    /// <summary>Generator settings of the synthetic tasks.</summary>
    public SyntheticOptions Synthetic { get; init; } = new();

    /// <summary>20 Newsgroups: CogLTX's cleaning (spec §7).</summary>
    public bool CleanNewsgroups { get; init; } = true;

    /// <summary>Use at most this many training / test examples; null: all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use at most this many test examples; null: all.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Null: the limits take the first examples; else a random subset drawn with this seed, kept in the data's order.</summary>
    public ulong? SubsetSeed { get; init; }

    /// <summary>True for the generated tasks.</summary>
    public bool IsSynthetic => Name.Equals(SyntheticQa, StringComparison.OrdinalIgnoreCase) || Name.Equals(SyntheticCls, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads (or generates) the data set and applies the limits. A known data set missing from the data directory throws <see cref="FileNotFoundException"/>.</summary>
    public Dataset Load()
    {
        var data = Name.ToLowerInvariant() switch
        {
            SyntheticQa => SyntheticTasks.MultiHopQa(Synthetic),
            SyntheticCls => SyntheticTasks.KeySentenceClassification(Synthetic),
            Jsonl => LongDocJsonl.ReadDataset(Path.GetFileNameWithoutExtension(TrainFile ?? throw new InvalidDataException("data \"jsonl\" needs train_file")),
                TrainFile, TestFile),
            _ => KnownDatasets.Load(Name, DataDirectory.Resolve(DataDir), new DatasetLoadOptions { CleanNewsgroups = CleanNewsgroups }),
        };
        var rng = SubsetSeed is { } seed ? new Rng(seed) : null;
        return data with { Train = Take(data.Train, TrainLimit, rng), Test = Take(data.Test, TestLimit, rng) };
    }

    private static IReadOnlyList<LongDocExample> Take(IReadOnlyList<LongDocExample> examples, int? limit, Rng? rng)
    {
        if (limit is not { } n || n >= examples.Count) return examples;
        if (rng is null) return [.. examples.Take(n)];
        var indices = Enumerable.Range(0, examples.Count).ToList();
        rng.Shuffle(indices);
        return [.. indices.Take(n).Order().Select(i => examples[i])];
    }
}
