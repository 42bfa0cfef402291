using CogLtx.Reasoner.Metrics;

namespace CogLtx.Reasoner.Tests;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void SingleLabel_AccuracyAndMacroF1_HandWorked()
    {
        // gold [0,0,1,2], pred [0,1,1,1]: accuracy 2/4
        // class 0: tp1 fp0 fn1 → F1 2/3; class 1: tp1 fp2 fn0 → 2/4 = 1/2; class 2: tp0 fp0 fn1 → 0
        // macro = (2/3 + 1/2 + 0)/3 = 7/18; micro = pooled tp2 fp2 fn2 → 1/2 (= accuracy)
        var s = ClassificationMetrics.SingleLabel([0, 1, 1, 1], [0, 0, 1, 2]);
        Assert.Equal(0.5, s.Accuracy, 12);
        Assert.Equal(0.5, s.MicroF1, 12);
        Assert.Equal(7.0 / 18, s.MacroF1, 12);
    }

    [Fact]
    public void MultiLabel_SubsetAccuracy_MicroAndMacro()
    {
        // doc1 gold {0,1} pred {0}; doc2 gold {2} pred {2,1}
        // label 0: tp1; label 1: fp1 fn1; label 2: tp1 → micro tp2 fp1 fn1 → 4/6 = 2/3
        // macro: F1_0 = 1, F1_1 = 0, F1_2 = 1 → 2/3; subset accuracy 0
        var s = ClassificationMetrics.MultiLabel(
            [new HashSet<int> { 0 }, new HashSet<int> { 2, 1 }],
            [new HashSet<int> { 0, 1 }, new HashSet<int> { 2 }]);
        Assert.Equal(0, s.Accuracy);
        Assert.Equal(2.0 / 3, s.MicroF1, 12);
        Assert.Equal(2.0 / 3, s.MacroF1, 12);
    }

    [Fact]
    public void MismatchedCounts_Throw() =>
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.SingleLabel([0], [0, 1]));
}
