using CogLtx.Experiments.Reporting;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Statistics = CogLtx.Experiments.Reporting.Statistics;

namespace CogLtx.Experiments.Grid;

/// <summary>Where a cell stands when the grid is merged.</summary>
public enum CellStatus
{
    /// <summary>Finished: its result is in the merge.</summary>
    Done,

    /// <summary>Its run threw (the error is in the cell's <c>failed.json</c>) or its folder holds a run of another configuration.</summary>
    Failed,

    /// <summary>No result and no recorded failure: never started, still running, or killed (a timeout, a lost node).</summary>
    Missing,
}

/// <summary>A cell as merged: its status, and its result and run facts when done, or why not.</summary>
public sealed record CellOutcome(GridCell Cell, CellStatus Status, string? Error, MethodResult? Result, string? HeadlineMetric, string? Commit, IReadOnlyDictionary<string, string>? Settings)
{
    /// <summary>The headline metric's value (mean over test examples), or NaN when not done.</summary>
    public double Headline => Result is { } r && HeadlineMetric is { } m && r.Metrics.TryGetValue(m, out var v) ? v : double.NaN;
}

/// <summary>
/// One method on one data set and encoder, over seeds: the mean of the per-seed headline scores with a Student-t 95%
/// interval (mean ± t₀.₉₇₅,ₙ₋₁ · s / √n; null below two seeds), and the comparison with CogLTX paired by seed
/// (<see cref="Reporting.Statistics.Paired"/> on the per-seed scores: sign-flip permutation and paired t-test; with n seeds the
/// permutation p cannot go below 2 / 2ⁿ).
/// </summary>
public sealed record GridSummaryRow(string Dataset, string Encoder, string Method, IReadOnlyList<ulong> Seeds, IReadOnlyList<double> Scores,
    double Mean, double? Low, double? High, double? Delta, double? PermutationP, double? TTestP, int Pairs)
{
    /// <summary>Rows for every (data set, encoder, method) with at least one finished seed, in grid order.</summary>
    public static IReadOnlyList<GridSummaryRow> Compute(IReadOnlyList<CellOutcome> outcomes, ulong testSeed)
    {
        var done = outcomes.Where(o => o.Status == CellStatus.Done).ToList();
        var rows = new List<GridSummaryRow>();
        foreach (var group in done.GroupBy(o => (o.Cell.Dataset, o.Cell.EncoderLabel, o.Cell.Method)))
        {
            var bySeed = group.OrderBy(o => o.Cell.Index).ToList();
            var scores = bySeed.Select(o => o.Headline).ToList();
            var (low, high) = TInterval(scores);
            var reference = done
                .Where(o => o.Cell.Dataset == group.Key.Dataset && o.Cell.EncoderLabel == group.Key.EncoderLabel && o.Cell.Method == MethodComparison.Reference)
                .ToDictionary(o => o.Cell.Seed, o => o.Headline);
            double? delta = null, pPermutation = null, pT = null;
            var paired = bySeed.Where(o => reference.ContainsKey(o.Cell.Seed)).ToList();
            if (group.Key.Method != MethodComparison.Reference && paired.Count > 0)
            {
                var cmp = Statistics.Paired([.. paired.Select(o => o.Headline)], [.. paired.Select(o => reference[o.Cell.Seed])], testSeed);
                (delta, pPermutation, pT) = (cmp.MeanDifference, cmp.PermutationP, double.IsNaN(cmp.TTestP) ? null : cmp.TTestP);
            }
            rows.Add(new GridSummaryRow(group.Key.Dataset, group.Key.EncoderLabel, group.Key.Method, [.. bySeed.Select(o => o.Cell.Seed)], scores,
                scores.Average(), low, high, delta, pPermutation, pT, group.Key.Method == MethodComparison.Reference ? 0 : paired.Count));
        }
        return rows;
    }

    /// <summary>Student-t 95% interval of the mean of <paramref name="values"/>; nulls below two values.</summary>
    internal static (double? Low, double? High) TInterval(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return (null, null);
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * values.StandardDeviation() / Math.Sqrt(values.Count);
        var mean = values.Average();
        return (mean - half, mean + half);
    }
}
