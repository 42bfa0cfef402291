using System.Globalization;
using System.Text;
using System.Text.Json;
using CogLtx.Experiments.Reporting;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Grid;

/// <summary>Writes a merged grid's results.json, results.md and grid_scores.svg into the grid's output folder.</summary>
public static class GridReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string outDir, GridResults grid)
    {
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), ToJson(grid));
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.md"), ToMarkdown(grid));
        AtomicFile.WriteAllText(Path.Combine(outDir, "grid_scores.svg"), Plot(grid));
    }

    /// <summary>
    /// results.json: {"name", "date", "cells": [{"index", "dataset", "encoder", "seed", "method", "status", "error",
    /// "folder", "headline_metric", "headline", "metrics", "commit", "examples": [{"id", "score"}]}], "summary": [{"dataset",
    /// "encoder", "method", "seeds", "scores", "mean", "low", "high", "vs_cogltx": {"delta", "p_permutation", "p_ttest",
    /// "pairs"} or null}], "failed_cells"}.
    /// </summary>
    public static string ToJson(GridResults grid) => JsonSerializer.Serialize(new
    {
        name = grid.Name,
        date = grid.Date.ToString("O", CultureInfo.InvariantCulture),
        cells = grid.Cells.Select(c => new
        {
            index = c.Cell.Index,
            dataset = c.Cell.Dataset,
            encoder = c.Cell.EncoderLabel,
            seed = c.Cell.Seed,
            method = c.Cell.Method,
            status = c.Status.ToString().ToLowerInvariant(),
            error = c.Error,
            folder = c.Cell.Folder,
            headline_metric = c.HeadlineMetric,
            headline = c.Result is null ? (double?)null : c.Headline,
            metrics = c.Result?.Metrics,
            commit = c.Commit,
            train_seconds = c.Result?.TrainSeconds,
            peak_memory_mb = c.Result?.PeakMemoryMb,
            examples = c.Result?.Outcomes.Select(o => new { id = o.Id, score = o.Score }),
        }),
        summary = grid.Summary.Select(r => new
        {
            dataset = r.Dataset,
            encoder = r.Encoder,
            method = r.Method,
            seeds = r.Seeds,
            scores = r.Scores,
            mean = r.Mean,
            low = r.Low,
            high = r.High,
            vs_cogltx = r.Delta is { } delta ? new { delta, p_permutation = r.PermutationP, p_ttest = r.TTestP, pairs = r.Pairs } : null,
        }),
        failed_cells = grid.NotDone.Count,
    }, Json);

    public static string ToMarkdown(GridResults grid)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var metric = grid.Cells.FirstOrDefault(c => c.HeadlineMetric is not null)?.HeadlineMetric ?? "headline metric";
        sb.AppendLine(inv, $"# {grid.Name}: grid");
        sb.AppendLine();
        sb.AppendLine(inv, $"Merged {grid.Date:yyyy-MM-dd HH:mm} UTC: {grid.Cells.Count} cells (data set × encoder × seed × method), ");
        sb.AppendLine(inv, $"{grid.Cells.Count - grid.NotDone.Count} done, {grid.NotDone.Count} not done. Headline metric: **{metric}** per cell (mean over its test examples);");
        sb.AppendLine("below, its mean over seeds with a Student-t 95% interval over seeds, and the difference from CogLTX paired by seed");
        sb.AppendLine("(sign-flip permutation p, paired t-test p in brackets; with n seeds the permutation p is at least 2/2ⁿ).");
        sb.AppendLine("Each data set, encoder and seed also has the single-run tables (per-example bootstrap intervals) under runs/.");
        sb.AppendLine();
        if (grid.NotDone.Count > 0)
        {
            sb.AppendLine(inv, $"**{grid.NotDone.Count} cells are not in the summary**:");
            sb.AppendLine();
            foreach (var c in grid.NotDone) sb.AppendLine(inv, $"- cell {c.Cell.Index} ({c.Cell.Name}): {c.Status.ToString().ToLowerInvariant()}: {c.Error}");
            sb.AppendLine();
        }
        sb.AppendLine(inv, $"| data set | encoder | method | seeds | {metric} mean (95% CI) | Δ vs CogLTX | p |");
        sb.AppendLine("|---|---|---|---:|---|---|---|");
        foreach (var r in grid.Summary)
        {
            var ci = r.Low is { } lo && r.High is { } hi ? string.Create(inv, $" ({lo:0.000}–{hi:0.000})") : " (one seed)";
            var delta = r.Delta is { } d ? d.ToString("+0.000;-0.000;0.000", inv) : "—";
            var p = r.PermutationP is { } pp ? $"{FormatP(pp)} ({FormatP(r.TTestP)})" : "—";
            sb.AppendLine(inv, $"| {r.Dataset} | {r.Encoder} | {r.Method} | {r.Seeds.Count} | {r.Mean:0.000}{ci} | {delta} | {p} |");
        }
        sb.AppendLine();
        sb.AppendLine("Per cell:");
        sb.AppendLine();
        sb.AppendLine(inv, $"| cell | data set | encoder | seed | method | status | {metric} | train s | peak MB |");
        sb.AppendLine("|---:|---|---|---:|---|---|---:|---:|---:|");
        foreach (var c in grid.Cells)
        {
            var score = c.Result is null ? "—" : c.Headline.ToString("0.000", inv);
            var train = c.Result is { } r ? r.TrainSeconds.ToString("0", inv) : "—";
            var peak = c.Result is { } m ? m.PeakMemoryMb.ToString("0", inv) : "—";
            sb.AppendLine(inv, $"| {c.Cell.Index} | {c.Cell.Dataset} | {c.Cell.EncoderLabel} | {c.Cell.Seed} | {c.Cell.Method} | {c.Status.ToString().ToLowerInvariant()} | {score} | {train} | {peak} |");
        }
        return sb.ToString();
    }

    /// <summary>Headline score against the training seed, one line per data set, encoder and method.</summary>
    private static string Plot(GridResults grid)
    {
        var series = grid.Summary.Select(r => new Series($"{r.Method} ({r.Dataset}, {r.Encoder})",
            [.. r.Scores.Select((s, i) => ((double)r.Seeds[i], s))])).ToList();
        var metric = grid.Cells.FirstOrDefault(c => c.HeadlineMetric is not null)?.HeadlineMetric ?? "score";
        return SvgChart.Render($"{grid.Name}: {metric} per seed", "training seed", metric, series);
    }

    private static string FormatP(double? p) =>
        p is not { } v || double.IsNaN(v) ? "n/a" : v < 0.001 ? "<0.001" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
