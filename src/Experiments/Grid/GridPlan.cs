using System.Text.RegularExpressions;
using CogLtx.Experiments.Config;

namespace CogLtx.Experiments.Grid;

/// <summary>
/// One cell of an experiment grid: one method trained and evaluated on one data set, with one encoder and one seed.
/// Its <see cref="Config"/> is the experiment config restricted to that cell (no grid, one method), and it runs as an
/// ordinary resumable experiment in its own <see cref="Folder"/>, so cells never share files and can run at once.
/// </summary>
/// <param name="Index">Position in <see cref="GridPlan.Expand"/>'s order (the Slurm array task id).</param>
/// <param name="Encoder">Pretrained encoder name or folder; null: trained from scratch.</param>
public sealed record GridCell(int Index, string Dataset, string? Encoder, ulong Seed, string Method, ExperimentConfig Config)
{
    public string EncoderLabel => Encoder ?? GridConfig.Scratch;

    /// <summary>The cell's run folder, relative to the grid's output folder.</summary>
    public string Folder => Path.Combine(GridPlan.CellsFolder, RunKey, Method);

    /// <summary>Where the single-run tables of this cell's data set, encoder and seed go, relative to the output folder.</summary>
    public string RunFolder => Path.Combine(GridPlan.RunsFolder, RunKey);

    public string Name => $"{Dataset} / {EncoderLabel} / seed {Seed} / {Method}";

    private string RunKey => Path.Combine(Dataset, GridPlan.Slug(EncoderLabel), $"seed-{Seed}");
}

/// <summary>Expands a config's <c>grid</c> section into its cells: data set × encoder × seed × method, in that nesting order.</summary>
public static partial class GridPlan
{
    public const string CellsFolder = "cells";
    public const string RunsFolder = "runs";

    /// <summary>
    /// The cells of <paramref name="config"/> (a config without a grid is a grid of one data set, encoder and seed).
    /// Each data set is checked against the method list (span QA and classification take different sliding windows).
    /// </summary>
    public static IReadOnlyList<GridCell> Expand(ExperimentConfig config, string source = "config.json")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate(source);
        var grid = config.Grid ?? new GridConfig();
        IReadOnlyList<string> datasets = grid.Datasets ?? [config.Dataset.Name];
        IReadOnlyList<string?> encoders = grid.Encoders?.Select(e => e == GridConfig.Scratch ? null : e).ToList() ?? [config.Encoder.Pretrained];
        IReadOnlyList<ulong> seeds = grid.Seeds ?? [config.Training.Seed];
        var slugs = encoders.Select(e => Slug(e ?? GridConfig.Scratch)).ToList();
        for (var i = 1; i < slugs.Count; i++)
            if (slugs.Take(i).Contains(slugs[i]))
                throw new ExperimentConfigException($"{source}: grid.encoders[{i}]: \"{encoders[i]}\" has the same folder name ({slugs[i]}) as an earlier encoder");

        var cells = new List<GridCell>();
        foreach (var dataset in datasets)
        {
            var forDataset = config with { Grid = null, Dataset = config.Dataset with { Name = dataset } };
            try
            {
                forDataset.Validate(source);
            }
            catch (ExperimentConfigException e)
            {
                throw new ExperimentConfigException($"grid data set \"{dataset}\": {e.Message}", e);
            }
            foreach (var encoder in encoders)
                foreach (var seed in seeds)
                    foreach (var method in config.Methods)
                    {
                        var cellConfig = forDataset with
                        {
                            Name = $"{config.Name}: {dataset}, {encoder ?? GridConfig.Scratch}, seed {seed}",
                            Encoder = new EncoderConfig { Pretrained = encoder },
                            Training = config.Training with { Seed = seed },
                            Methods = [method],
                        };
                        cells.Add(new GridCell(cells.Count, dataset, encoder, seed, method, cellConfig));
                    }
        }
        return cells;
    }

    /// <summary>A folder name for an encoder label: a path or odd characters become underscores.</summary>
    internal static string Slug(string label)
    {
        var slug = UnsafeCharacters().Replace(label.Trim(), "_").Trim('_', '.');
        return slug.Length == 0 ? "encoder" : slug;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeCharacters();
}
