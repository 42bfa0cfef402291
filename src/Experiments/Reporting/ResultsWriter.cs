using System.Globalization;
using System.Text;
using System.Text.Json;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Reporting;

/// <summary>Writes an experiment's results.json, results.csv, results.md and SVG plots into one folder.</summary>
public static class ResultsWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string outDir, ExperimentResults results, ulong seed)
    {
        Directory.CreateDirectory(outDir);
        var comparisons = MethodComparison.Compute(results, seed);
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.json"), ToJson(results, comparisons));
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.csv"), ToCsv(results, comparisons));
        AtomicFile.WriteAllText(Path.Combine(outDir, "results.md"), MarkdownReport.Render(results, comparisons));
        AtomicFile.WriteAllText(Path.Combine(outDir, "training_curves.svg"), TrainingCurves(results));
        AtomicFile.WriteAllText(Path.Combine(outDir, "score_vs_length.svg"), ScoreVersusLength(results));
    }

    /// <summary>
    /// results.json: {"dataset", "methods": [{"name", "metrics", "headline": {"mean", "low", "high"}, "vs_cogltx":
    /// {"delta", "p_permutation", "p_ttest"} or null, "train_seconds", "peak_memory_mb", ...}], ...}.
    /// </summary>
    public static string ToJson(ExperimentResults r, IReadOnlyList<MethodComparison> comparisons) => JsonSerializer.Serialize(new
    {
        dataset = r.Dataset,
        headline_metric = r.HeadlineMetric,
        commit = r.Commit,
        date = r.Date.ToString("O", CultureInfo.InvariantCulture),
        settings = r.Settings,
        methods = r.Methods.Select((m, i) => new
        {
            name = m.Name,
            metrics = m.Metrics,
            headline = new { mean = comparisons[i].Headline.Mean, low = comparisons[i].Headline.Low, high = comparisons[i].Headline.High },
            vs_cogltx = comparisons[i].Delta is { } delta
                ? new { delta, p_permutation = comparisons[i].PermutationP, p_ttest = comparisons[i].TTestP }
                : null,
            train_seconds = m.TrainSeconds,
            eval_seconds = m.EvalSeconds,
            peak_memory_mb = m.PeakMemoryMb,
            note = m.Note,
            examples = m.Outcomes.Select(o => new { id = o.Id, score = o.Score, document_tokens = o.DocumentTokens }),
            curve = m.Curve.Select(c => new { step = c.Step, series = c.Series, value = c.Value }),
        }),
    }, Json);

    /// <summary>
    /// results.csv: one row per method, every metric, the headline metric's 95% interval (<c>ci_low</c>, <c>ci_high</c>),
    /// the paired difference against CogLTX and its p-values (empty for CogLTX), time and memory.
    /// </summary>
    public static string ToCsv(ExperimentResults r, IReadOnlyList<MethodComparison> comparisons)
    {
        var inv = CultureInfo.InvariantCulture;
        var metrics = r.Methods.SelectMany(m => m.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("method," + string.Join(",", metrics) + ",ci_low,ci_high,delta_vs_cogltx,p_permutation,p_ttest,train_seconds,eval_seconds,peak_memory_mb");
        string Number(double? v) => v is { } x ? x.ToString("R", inv) : "";
        for (var i = 0; i < r.Methods.Count; i++)
        {
            var (m, c) = (r.Methods[i], comparisons[i]);
            sb.AppendLine(string.Join(",", new[] { m.Name }
                .Concat(metrics.Select(k => m.Metrics.TryGetValue(k, out var v) ? v.ToString("R", inv) : ""))
                .Concat([Number(c.Headline.Low), Number(c.Headline.High), Number(c.Delta), Number(c.PermutationP), Number(c.TTestP)])
                .Concat([m.TrainSeconds.ToString("0.###", inv), m.EvalSeconds.ToString("0.###", inv), m.PeakMemoryMb.ToString("0.#", inv)])));
        }
        return sb.ToString();
    }

    private static string TrainingCurves(ExperimentResults r)
    {
        var series = r.Methods
            .SelectMany(m => m.Curve.GroupBy(c => c.Series).Select(g => new Series($"{m.Name} {g.Key}", Smooth([.. g.OrderBy(c => c.Step)]))))
            .ToList();
        return SvgChart.Render($"{r.Dataset}: training loss (smoothed)", "optimizer step", "loss", series);
    }

    /// <summary>Points per plotted curve: per-step losses are averaged over consecutive runs of steps.</summary>
    internal const int CurvePoints = 40;

    /// <summary>
    /// Consecutive points averaged in ⌈n / <see cref="CurvePoints"/>⌉-sized runs (step and value both), so a curve of
    /// thousands of noisy per-step losses reads as a trend; short curves are kept as they are.
    /// </summary>
    internal static List<(double X, double Y)> Smooth(IReadOnlyList<CurvePoint> points)
    {
        var size = Math.Max(1, (points.Count + CurvePoints - 1) / CurvePoints);
        return [.. points.Chunk(size).Select(run => (run.Average(p => (double)p.Step), run.Average(p => p.Value)))];
    }

    /// <summary>Mean headline score per document-length bucket (quantile buckets of the test set), per method.</summary>
    private static string ScoreVersusLength(ExperimentResults r)
    {
        var lengths = r.Methods.SelectMany(m => m.Outcomes.Select(o => o.DocumentTokens)).Order().ToList();
        const int buckets = 5;
        var edges = lengths.Count == 0 ? [] : Enumerable.Range(1, buckets - 1).Select(i => lengths[i * (lengths.Count - 1) / buckets]).Distinct().ToList();
        var series = r.Methods.Select(m => new Series(m.Name, m.Outcomes
            .GroupBy(o => edges.Count(e => o.DocumentTokens > e))
            .OrderBy(g => g.Key)
            .Select(g => (g.Average(o => (double)o.DocumentTokens), g.Average(o => o.Score)))
            .ToList())).ToList();
        return SvgChart.Render($"{r.Dataset}: {r.HeadlineMetric} against document length", "document length (tokens, bucket mean)", r.HeadlineMetric, series);
    }
}
