using CogLtx.Reasoner.Metrics;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Tests;

public sealed class HotpotMetricsTests
{
    private static readonly SupportingFact A0 = new("A", 0), A1 = new("A", 1), B0 = new("B", 0), C2 = new("C", 2);

    [Fact]
    public void SupportingFactScore_HandWorkedSets()
    {
        // pred {A0, B0, C2}, gold {A0, A1, B0}: tp 2, fp 1, fn 1 → P = R = 2/3, F1 = 2/3, EM 0
        var s = HotpotMetrics.SupportingFactScore([A0, B0, C2], [A0, A1, B0]);
        Assert.Equal(2.0 / 3, s.Precision, 12);
        Assert.Equal(2.0 / 3, s.Recall, 12);
        Assert.Equal(2.0 / 3, s.F1, 12);
        Assert.Equal(0, s.ExactMatch);
        // the same set in another order, with a duplicate: EM 1
        Assert.Equal(new Prf(1, 1, 1, 1), HotpotMetrics.SupportingFactScore([B0, A0, A0], [A0, B0]));
        // nothing predicted: P = R = F1 = 0
        Assert.Equal(Prf.Zero, HotpotMetrics.SupportingFactScore([], [A0]));
    }

    [Fact]
    public void Joint_MultipliesPrecisionAndRecall()
    {
        // answer P = 1/2, R = 1, EM 0; sp P = R = 2/3, EM 0
        // joint P = 1/3, R = 2/3 → F1 = 2·(1/3)(2/3)/(1) = 4/9
        var answer = AnswerMetrics.Score("red barn", "barn");
        var sp = HotpotMetrics.SupportingFactScore([A0, B0, C2], [A0, A1, B0]);
        var joint = HotpotMetrics.Joint(answer, sp);
        Assert.Equal(1.0 / 3, joint.Precision, 12);
        Assert.Equal(2.0 / 3, joint.Recall, 12);
        Assert.Equal(4.0 / 9, joint.F1, 12);
        Assert.Equal(0, joint.ExactMatch);
    }

    [Fact]
    public void Score_PerfectPrediction_IsOneEverywhere_AndMeanAverages()
    {
        var perfect = HotpotMetrics.Score("Paris", "paris", [A0, B0], [B0, A0]);
        Assert.Equal(1, perfect.Joint.ExactMatch);
        Assert.Equal(1, perfect.Joint.F1);
        var wrong = HotpotMetrics.Score("yes", "no", [A0], [B0]);
        Assert.Equal(0, wrong.Joint.F1);
        var mean = HotpotMetrics.Mean([perfect, wrong]);
        Assert.Equal(0.5, mean.Answer.ExactMatch);
        Assert.Equal(0.5, mean.SupportingFacts.F1);
        Assert.Equal(0.5, mean.Joint.ExactMatch);
    }
}
