using CogLtx.Tensors;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace CogLtx.Experiments.Reporting;

/// <summary>A confidence interval around a mean.</summary>
public readonly record struct Interval(double Mean, double Low, double High);

/// <summary>Result of a paired comparison of two methods on the same examples.</summary>
public readonly record struct PairedComparison(double MeanDifference, double PermutationP, double TTestP, int Examples);

/// <summary>Bootstrap confidence intervals and paired significance tests for per-example scores.</summary>
public static class Statistics
{
    /// <summary>
    /// Percentile bootstrap CI of the mean: resample the examples with replacement <paramref name="resamples"/>
    /// times and take the (1−level)/2 and (1+level)/2 quantiles of the resampled means.
    /// </summary>
    public static Interval BootstrapMean(IReadOnlyList<double> scores, ulong seed, int resamples = 2000, double level = 0.95)
    {
        if (scores.Count == 0) return new Interval(double.NaN, double.NaN, double.NaN);
        var rng = new Rng(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (var i = 0; i < scores.Count; i++) sum += scores[rng.NextInt(scores.Count)];
            means[r] = sum / scores.Count;
        }
        var alpha = (1 - level) / 2;
        return new Interval(scores.Average(), Quantile(means, alpha), Quantile(means, 1 - alpha));
    }

    /// <summary>
    /// Paired tests of a − b on the same examples: a two-sided sign-flip permutation test (exact under the null
    /// that each pair's labels are exchangeable; seeded) and a paired t-test (MathNet Student-t).
    /// </summary>
    public static PairedComparison Paired(IReadOnlyList<double> a, IReadOnlyList<double> b, ulong seed, int permutations = 10000)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired test needs equal counts, got {a.Count} and {b.Count}");
        var n = a.Count;
        if (n == 0) return new PairedComparison(double.NaN, double.NaN, double.NaN, 0);
        var d = new double[n];
        for (var i = 0; i < n; i++) d[i] = a[i] - b[i];
        var observed = Math.Abs(d.Average());
        var rng = new Rng(seed);
        var extreme = 0;
        for (var p = 0; p < permutations; p++)
        {
            double sum = 0;
            for (var i = 0; i < n; i++) sum += (rng.NextULong() & 1) == 0 ? d[i] : -d[i];
            if (Math.Abs(sum / n) >= observed - 1e-12) extreme++;
        }
        var permutationP = (extreme + 1.0) / (permutations + 1.0);
        return new PairedComparison(d.Average(), permutationP, PairedTTest(d), n);
    }

    private static double PairedTTest(double[] d)
    {
        if (d.Length < 2) return double.NaN;
        var sd = d.StandardDeviation();
        if (sd == 0) return d.Mean() == 0 ? 1.0 : 0.0;
        var t = d.Mean() / (sd / Math.Sqrt(d.Length));
        return 2 * (1 - StudentT.CDF(0, 1, d.Length - 1, Math.Abs(t)));
    }

    private static double Quantile(double[] values, double q) => values.Quantile(q);
}
