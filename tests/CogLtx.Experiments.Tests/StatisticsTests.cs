using CogLtx.Experiments.Reporting;

namespace CogLtx.Experiments.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void BootstrapMean_BracketsTheMean_AndNarrowsWithMoreData()
    {
        var small = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToList();
        var large = Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToList();
        var a = Statistics.BootstrapMean(small, seed: 1);
        var b = Statistics.BootstrapMean(large, seed: 1);
        Assert.Equal(0.5, a.Mean, 12);
        Assert.True(a.Low < 0.5 && a.High > 0.5);
        Assert.True(b.High - b.Low < (a.High - a.Low) / 5, $"{b} vs {a}");
        // Binomial standard error at n = 2000 is 0.0112, so the 95% interval is about ±0.022.
        Assert.InRange(b.High - b.Low, 0.035, 0.055);
    }

    [Fact]
    public void BootstrapMean_IsDeterministicForASeed()
    {
        var scores = Enumerable.Range(0, 50).Select(i => (i * 37 % 11) / 10.0).ToList();
        Assert.Equal(Statistics.BootstrapMean(scores, 7), Statistics.BootstrapMean(scores, 7));
    }

    [Fact]
    public void Paired_IdenticalMethods_AreNotSignificant()
    {
        var a = Enumerable.Range(0, 100).Select(i => (double)(i % 3 == 0 ? 1 : 0)).ToList();
        var cmp = Statistics.Paired(a, a, seed: 3);
        Assert.Equal(0, cmp.MeanDifference);
        Assert.Equal(1.0, cmp.PermutationP, 6);
    }

    [Fact]
    public void Paired_ConsistentImprovement_IsSignificant_AndSmallNoiseIsNot()
    {
        // a wins on 40 of 100 examples and never loses: the sign-flip null almost never reaches a mean of 0.4.
        var a = Enumerable.Range(0, 100).Select(i => i < 70 ? 1.0 : 0.0).ToList();
        var b = Enumerable.Range(0, 100).Select(i => i < 30 ? 1.0 : 0.0).ToList();
        var strong = Statistics.Paired(a, b, seed: 3);
        Assert.Equal(0.4, strong.MeanDifference, 12);
        Assert.True(strong.PermutationP < 0.001 && strong.TTestP < 0.001, $"{strong}");
        // One win and one loss: no evidence either way.
        var c = Enumerable.Repeat(0.0, 100).ToList();
        var d = Enumerable.Repeat(0.0, 100).ToList();
        c[0] = 1; d[1] = 1;
        Assert.True(Statistics.Paired(c, d, seed: 3).PermutationP > 0.5);
    }

    [Fact]
    public void Paired_RejectsUnequalCounts() =>
        Assert.Throws<ArgumentException>(() => Statistics.Paired([1.0], [1.0, 0.0], seed: 1));
}
