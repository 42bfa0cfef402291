namespace CogLtx.Models;

/// <summary>
/// The summary figures of a benchmark's repeated timings (<c>cogltx bench</c>): median, quartiles and spread, so
/// that noisy timings are reported as they came out rather than as one number.
/// </summary>
public static class RepeatStatistics
{
    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values) => Quantile(values.Order().ToList(), 0.5);

    /// <summary>Linear-interpolated quantile of values sorted ascending (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("no timings to summarise");
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>(max − min) as a percentage of the median: the "spread between repeats".</summary>
    public static double SpreadPercent(IReadOnlyCollection<double> values) => 100 * (values.Max() - values.Min()) / Median(values);
}
