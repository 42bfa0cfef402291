using CogLtx.Reasoner.Metrics;

namespace CogLtx.Reasoner.Tests;

public sealed class AnswerMetricsTests
{
    [Theory]
    // lower → strip punctuation → drop articles → squeeze spaces
    [InlineData("The  Eiffel Tower!", "eiffel tower")]
    [InlineData("an apple, a day", "apple day")]
    [InlineData("theater", "theater")]                  // "the" only as a whole word
    [InlineData("U.S.A.", "usa")]
    [InlineData("  Rock'n'Roll  ", "rocknroll")]
    [InlineData("caf\u00e9 \u2013 bar", "caf\u00e9 \u2013 bar")]    // non-ASCII punctuation stays (Python string.punctuation is ASCII)
    public void Normalize_FollowsTheOfficialOrder(string raw, string expected) =>
        Assert.Equal(expected, AnswerMetrics.Normalize(raw));

    [Fact]
    public void Score_WordOverlap_GivesHandWorkedF1()
    {
        // pred "the big red barn" → [big, red, barn]; gold "red barn door" → [red, barn, door]
        // common 2: P = 2/3, R = 2/3, F1 = 2/3
        var s = AnswerMetrics.Score("the big red barn", "red barn door");
        Assert.Equal(0, s.ExactMatch);
        Assert.Equal(2.0 / 3, s.Precision, 12);
        Assert.Equal(2.0 / 3, s.Recall, 12);
        Assert.Equal(2.0 / 3, s.F1, 12);
    }

    [Fact]
    public void Score_RepeatedWords_CountedAsMultiset()
    {
        // pred [a? no: "new new york"] → [new, new, york]; gold [new, york] → common = min counts = 2
        // P = 2/3, R = 1, F1 = 0.8
        var s = AnswerMetrics.Score("new new york", "New York");
        Assert.Equal(0.8, s.F1, 12);
    }

    [Fact]
    public void Score_YesNoPartialOverlap_IsZeroInHotpotButNotInSquad()
    {
        // "no way" vs "no": HotpotQA zeroes any mismatch involving yes/no/noanswer; SQuAD gives P=1/2, R=1 → 2/3
        Assert.Equal(0, AnswerMetrics.Score("no way", "no").F1);
        Assert.Equal(2.0 / 3, AnswerMetrics.Score("no way", "no", exactOnlyForYesNo: false).F1, 12);
        var exact = AnswerMetrics.Score("Yes.", "yes");
        Assert.Equal(1, exact.ExactMatch);
        Assert.Equal(1, exact.F1);
    }

    [Fact]
    public void Score_NoCommonWords_IsZero()
    {
        var s = AnswerMetrics.Score("paris", "london");
        Assert.Equal(Prf.Zero, s);
    }

    [Fact]
    public void ScoreBest_TakesTheBestGold()
    {
        var s = AnswerMetrics.ScoreBest("red barn", ["blue house", "the red barn"]);
        Assert.Equal(1, s.ExactMatch);
        Assert.Throws<ArgumentException>(() => AnswerMetrics.ScoreBest("x", []));
    }
}
