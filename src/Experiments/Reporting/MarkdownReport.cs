using System.Globalization;
using System.Text;

namespace CogLtx.Experiments.Reporting;

/// <summary>The Markdown comparison table: each metric with its bootstrap 95% CI, and a paired test against CogLTX.</summary>
public static class MarkdownReport
{
    /// <summary>Name of the method every other is compared with.</summary>
    public const string Reference = "cogltx";

    public static string Render(ExperimentResults results, ulong seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# {results.Dataset}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Run {results.Date:yyyy-MM-dd HH:mm} UTC at commit `{results.Commit}`. Headline metric: **{results.HeadlineMetric}**, ");
        sb.AppendLine("mean over test examples with a percentile-bootstrap 95% interval (2,000 resamples); p-values are paired against CogLTX");
        sb.AppendLine("(sign-flip permutation test, 10,000 permutations; paired t-test in brackets).");
        sb.AppendLine();
        // The headline metric has its own column (with the interval); the others follow in name order.
        var metricNames = results.Methods.SelectMany(m => m.Metrics.Keys).Distinct()
            .Where(k => k != results.HeadlineMetric).Order(StringComparer.Ordinal).ToList();
        sb.Append(inv, $"| method | {results.HeadlineMetric} (95% CI) | Δ vs CogLTX | p |");
        foreach (var m in metricNames) sb.Append(inv, $" {m} |");
        sb.AppendLine(" train s | eval s | peak MB |");
        sb.Append("|---|---|---|---|");
        foreach (var _ in metricNames) sb.Append("---:|");
        sb.AppendLine("---:|---:|---:|");
        var reference = results.Methods.FirstOrDefault(m => m.Name == Reference);
        foreach (var method in results.Methods)
        {
            var scores = method.Outcomes.Select(o => o.Score).ToList();
            var ci = Statistics.BootstrapMean(scores, seed);
            var (delta, p) = ("—", "—");
            if (reference is not null && method != reference && SameExamples(reference, method))
            {
                var cmp = Statistics.Paired(method.Outcomes.Select(o => o.Score).ToList(), reference.Outcomes.Select(o => o.Score).ToList(), seed);
                delta = cmp.MeanDifference.ToString("+0.000;-0.000;0.000", inv);
                p = $"{FormatP(cmp.PermutationP)} ({FormatP(cmp.TTestP)})";
            }
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

    private static bool SameExamples(MethodResult a, MethodResult b) =>
        a.Outcomes.Count == b.Outcomes.Count && a.Outcomes.Select(o => o.Id).SequenceEqual(b.Outcomes.Select(o => o.Id));

    private static string FormatP(double p) =>
        double.IsNaN(p) ? "n/a" : p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
