namespace CogLtx.Experiments.Config;

/// <summary>
/// The <c>grid</c> section: the experiment run over every combination of data set × encoder × training seed, each
/// with every configured method. A list left out (or null) keeps the config's own single value (<c>dataset.name</c>,
/// <c>encoder.pretrained</c>, <c>training.seed</c>). A seed replaces <c>training.seed</c> only (initialisation,
/// dropout, data order); the data and its subsets stay the same across seeds, so methods pair by seed.
/// </summary>
public sealed record GridConfig
{
    /// <summary>The word for "trained from scratch" in <see cref="Encoders"/> (<c>encoder.pretrained</c> null).</summary>
    public const string Scratch = "scratch";

    /// <summary>Training seeds; null: <c>training.seed</c> alone.</summary>
    public IReadOnlyList<ulong>? Seeds { get; init; }

    /// <summary>Data-set names (<see cref="DatasetConfig.Known"/>); null: <c>dataset.name</c> alone.</summary>
    public IReadOnlyList<string>? Datasets { get; init; }

    /// <summary>Pretrained encoder names or folders, or <see cref="Scratch"/>; null: <c>encoder.pretrained</c> alone.</summary>
    public IReadOnlyList<string>? Encoders { get; init; }

    internal void Validate(ConfigErrors errors)
    {
        Distinct(errors, "grid.seeds", Seeds);
        Distinct(errors, "grid.datasets", Datasets);
        Distinct(errors, "grid.encoders", Encoders);
        for (var i = 0; i < (Datasets?.Count ?? 0); i++)
            errors.Check(DatasetConfig.Known.Contains(Datasets![i]), $"grid.datasets[{i}]", $"unknown data set \"{Datasets[i]}\" (known: {string.Join(", ", DatasetConfig.Known)})");
        for (var i = 0; i < (Encoders?.Count ?? 0); i++)
            errors.Check(Encoders![i].Trim().Length > 0, $"grid.encoders[{i}]", $"must be a model name, a folder or \"{Scratch}\", got an empty string");
    }

    private static void Distinct<T>(ConfigErrors errors, string field, IReadOnlyList<T>? values)
    {
        if (values is null) return;
        errors.Check(values.Count > 0, field, "must list at least one value (or be left out)");
        for (var i = 1; i < values.Count; i++)
            errors.Check(!values.Take(i).Contains(values[i]), $"{field}[{i}]", $"\"{values[i]}\" is listed twice");
    }
}
