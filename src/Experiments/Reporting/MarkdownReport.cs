using System.Globalization;
using System.Text;

namespace CogLtx.Experiments.Reporting;

/// <summary>The Markdown comparison table: each metric with its bootstrap 95% CI, and a paired test against CogLTX.</summary>
public static class MarkdownReport
{
    public static string Render(ExperimentResults results, ulong seed) => Render(results, MethodComparison.Compute(results, seed));

    /// <summary>The table from comparisons already computed (results.json and results.csv report the same ones).</summary>
    public static string Render(ExperimentResults results, IReadOnlyList<MethodComparison> comparisons)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# {results.Dataset}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Run {results.Date:yyyy-MM-dd HH:mm} UTC at commit `{results.Commit}`. Headline metric: **{results.HeadlineMetric}**, ");
        sb.AppendLine("mean over test examples with a percentile-bootstrap 95% interval (2,000 resamples); p-values are paired against CogLTX");
        sb.AppendLine("(sign-flip permutation test, 10,000 permutations; paired t-test in brackets).");
        sb.AppendLine();
        if (results.Settings.TryGetValue("quick", out var quick) && quick == "true")
        {
            sb.AppendLine("**Quick smoke test**: a few documents, a tiny encoder and one epoch, to show that every method trains, predicts and");
            sb.AppendLine("is scored end to end. Its scores say nothing about the methods (near chance, often 0); the training losses show");
            sb.AppendLine("whether each model learned at all. Run without --quick for the real comparison.");
            sb.AppendLine();
            foreach (var method in results.Methods)
                foreach (var series in method.Curve.GroupBy(c => c.Series))
                {
                    var points = series.OrderBy(c => c.Step).Select(c => c.Value).ToList();
                    var k = Math.Max(1, points.Count / 4);
                    sb.AppendLine(inv, $"- {method.Name} training loss ({series.Key}): {points.Take(k).Average():0.000} over the first quarter of steps → {points.TakeLast(k).Average():0.000} over the last");
                }
            sb.AppendLine();
        }
        // The headline metric has its own column (with the interval); the others follow in name order.
        var metricNames = results.Methods.SelectMany(m => m.Metrics.Keys).Distinct()
            .Where(k => k != results.HeadlineMetric).Order(StringComparer.Ordinal).ToList();
        sb.Append(inv, $"| method | {results.HeadlineMetric} (95% CI) | Δ vs CogLTX | p |");
        foreach (var m in metricNames) sb.Append(inv, $" {m} |");
        sb.AppendLine(" train s | eval s | peak MB |");
        sb.Append("|---|---|---|---|");
        foreach (var _ in metricNames) sb.Append("---:|");
        sb.AppendLine("---:|---:|---:|");
        for (var i = 0; i < results.Methods.Count; i++)
        {
            var (method, row) = (results.Methods[i], comparisons[i]);
            var ci = row.Headline;
            var delta = row.Delta is { } d ? d.ToString("+0.000;-0.000;0.000", inv) : "—";
            var p = row.PermutationP is { } pp ? $"{FormatP(pp)} ({FormatP(row.TTestP ?? double.NaN)})" : "—";
            sb.Append(inv, $"| {method.Name} | {ci.Mean:0.000} ({ci.Low:0.000}–{ci.High:0.000}) | {delta} | {p} |");
            foreach (var m in metricNames)
                sb.Append(method.Metrics.TryGetValue(m, out var v) ? string.Create(inv, $" {v:0.000} |") : " — |");
            sb.AppendLine(inv, $" {method.TrainSeconds:0} | {method.EvalSeconds:0.0} | {method.PeakMemoryMb:0} |");
        }
        var notes = results.Methods.Where(m => m.Note is not null).ToList();
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var m in notes) sb.AppendLine(inv, $"- {m.Name}: {m.Note}");
        }
        sb.AppendLine();
        sb.AppendLine("Settings: " + string.Join(", ", results.Settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
        return sb.ToString();
    }

    private static string FormatP(double p) =>
        double.IsNaN(p) ? "n/a" : p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
