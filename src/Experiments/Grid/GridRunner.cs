using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Reporting;
using CogLtx.Experiments.Runner;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Grid;

/// <summary>
/// Runs an experiment grid (<see cref="GridPlan"/>): each cell is an ordinary <see cref="ExperimentRunner"/> run in its
/// own folder (<c>{out}/cells/{data set}/{encoder}/seed-{s}/{method}</c>), so a cell resumes as a single run does (a
/// finished cell is reused, one cut off mid-training continues from its checkpoint) and cells can run in any order or
/// at once (one Slurm array task each). A cell whose run throws records the error in its <c>failed.json</c>.
/// <see cref="Merge"/> gathers every cell, reports a cell without a result as failed or missing, never drops it, and
/// writes the single-run tables per data set, encoder and seed (<c>{out}/runs/…</c>) and the grid summary.
/// </summary>
public sealed class GridRunner
{
    public const string FailedFile = "failed.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly ExperimentConfig config;
    private readonly string outDir;
    private readonly RunnerOptions options;

    public GridRunner(ExperimentConfig config, string outDir, RunnerOptions? options = null, string source = "config.json")
    {
        ArgumentNullException.ThrowIfNull(outDir);
        this.options = options ?? new RunnerOptions();
        this.config = config.Validate(source).Effective(this.options.Quick);
        this.outDir = Path.GetFullPath(outDir);
        Cells = GridPlan.Expand(this.config, source);
    }

    public IReadOnlyList<GridCell> Cells { get; }

    /// <summary>The configuration run (quick settings applied), grid included.</summary>
    public ExperimentConfig Config => config;

    public string CellFolder(GridCell cell) => Path.Combine(outDir, cell.Folder);

    /// <summary>
    /// Runs cell <paramref name="index"/> (resuming whatever an earlier attempt left). A run that throws leaves its
    /// error in the cell's <c>failed.json</c> and rethrows; a finished run removes that file.
    /// </summary>
    public ExperimentResults RunCell(int index, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= Cells.Count)
            throw new ArgumentException($"--cell {index}: the grid has {Cells.Count} cells (0 to {Cells.Count - 1})");
        var cell = Cells[index];
        var dir = CellFolder(cell);
        Directory.CreateDirectory(dir);
        var failed = Path.Combine(dir, FailedFile);
        try
        {
            var results = new ExperimentRunner(cell.Config, dir, options).Run(progress, cancellationToken);
            File.Delete(failed);
            return results;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AtomicFile.WriteAllText(failed, JsonSerializer.Serialize(new { cell = cell.Index, name = cell.Name, error = $"{e.GetType().Name}: {e.Message}", date = DateTimeOffset.UtcNow }, Json));
            throw;
        }
    }

    /// <summary>Runs every cell in turn on this machine (a failing cell is recorded and the next one runs), then <see cref="Merge"/>s.</summary>
    public GridResults RunAll(IProgress<ExperimentProgress>? progress = null, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        foreach (var cell in Cells)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log?.Report($"cell {cell.Index + 1}/{Cells.Count}: {cell.Name}");
            try
            {
                RunCell(cell.Index, progress, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log?.Report($"cell {cell.Index} ({cell.Name}) failed: {e.Message}");
            }
        }
        return Merge();
    }

    /// <summary>
    /// Reads every cell's outcome and writes <c>{out}/runs/{data set}/{encoder}/seed-{s}/results.*</c> (the single-run
    /// tables of the methods done there) and <c>{out}/results.json</c>, <c>results.md</c>, <c>grid_scores.svg</c>.
    /// </summary>
    public GridResults Merge()
    {
        var outcomes = Cells.Select(Load).ToList();
        foreach (var run in outcomes.Where(o => o.Status == CellStatus.Done).GroupBy(o => o.Cell.RunFolder))
        {
            var first = run.First();
            var results = new ExperimentResults(
                first.Cell.Config.Name + (config.Quick ? " (quick)" : ""),
                first.HeadlineMetric!,
                string.Join(" ", run.Select(o => o.Commit).Distinct()),
                DateTimeOffset.UtcNow,
                first.Settings!,
                [.. run.OrderBy(o => o.Cell.Index).Select(o => o.Result!)]);
            ResultsWriter.Write(Path.Combine(outDir, run.Key), results, config.Evaluation.BootstrapSeed);
        }
        var grid = new GridResults(config.Name + (config.Quick ? " (quick)" : ""), DateTimeOffset.UtcNow, outcomes,
            GridSummaryRow.Compute(outcomes, config.Evaluation.BootstrapSeed));
        GridReport.Write(outDir, grid);
        return grid;
    }

    private CellOutcome Load(GridCell cell)
    {
        var dir = CellFolder(cell);
        var resultsPath = Path.Combine(dir, "results.json");
        var experimentPath = Path.Combine(dir, ExperimentRunner.ExperimentFile);
        var failedPath = Path.Combine(dir, FailedFile);
        string? Failure() => File.Exists(failedPath) ? ReadError(failedPath) : null;
        if (!File.Exists(resultsPath) || !File.Exists(experimentPath))
            return Failure() is { } error ? new CellOutcome(cell, CellStatus.Failed, error, null, null, null, null)
                : new CellOutcome(cell, CellStatus.Missing, "no result (not run yet, still running, or killed before it finished)", null, null, null, null);
        try
        {
            var expected = ExperimentRunner.Fingerprint(cell.Config.Effective(config.Quick));
            using var stored = JsonDocument.Parse(File.ReadAllText(experimentPath));
            var fingerprint = stored.RootElement.GetProperty("fingerprint").GetString();
            if (fingerprint != expected)
                return new CellOutcome(cell, CellStatus.Failed, $"{dir} holds a run of a different configuration (fingerprint {fingerprint}, this config {expected})", null, null, null, null);
            using var doc = JsonDocument.Parse(File.ReadAllText(resultsPath));
            var root = doc.RootElement;
            var method = root.GetProperty("methods").EnumerateArray().FirstOrDefault(m => m.GetProperty("name").GetString() == cell.Method);
            if (method.ValueKind != JsonValueKind.Object)
                return new CellOutcome(cell, CellStatus.Failed, $"{resultsPath} has no result for {cell.Method}", null, null, null, null);
            var settings = root.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            return new CellOutcome(cell, CellStatus.Done, null, ReadMethod(method), root.GetProperty("headline_metric").GetString(),
                root.GetProperty("commit").GetString(), settings);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new CellOutcome(cell, CellStatus.Failed, $"{resultsPath}: unreadable ({e.Message})", null, null, null, null);
        }
    }

    /// <summary>A method's result back from the results.json <see cref="ResultsWriter.ToJson"/> wrote.</summary>
    private static MethodResult ReadMethod(JsonElement m) => new(
        m.GetProperty("name").GetString()!,
        m.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()),
        m.GetProperty("train_seconds").GetDouble(),
        m.GetProperty("eval_seconds").GetDouble(),
        m.GetProperty("peak_memory_mb").GetDouble(),
        [.. m.GetProperty("examples").EnumerateArray().Select(e => new ExampleOutcome(e.GetProperty("id").GetString()!, e.GetProperty("score").GetDouble(), e.GetProperty("document_tokens").GetInt32()))],
        [.. m.GetProperty("curve").EnumerateArray().Select(c => new CurvePoint(c.GetProperty("step").GetInt32(), c.GetProperty("series").GetString()!, c.GetProperty("value").GetDouble()))],
        m.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null);

    private static string ReadError(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("error").GetString() ?? $"failed (see {path})";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"failed ({path} unreadable: {e.Message})";
        }
    }
}

/// <summary>A merged grid: every cell's outcome and the per-method summaries over seeds.</summary>
public sealed record GridResults(string Name, DateTimeOffset Date, IReadOnlyList<CellOutcome> Cells, IReadOnlyList<GridSummaryRow> Summary)
{
    public IReadOnlyList<CellOutcome> NotDone => [.. Cells.Where(c => c.Status != CellStatus.Done)];
}
