using CogLtx.Baselines;
using CogLtx.Data;
using CogLtx.Experiments.Runner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Experiments.Tests;

public sealed class ScoringTests
{
    private static PreparedExample Cls(string id, int label, int tokens) => new(
        new LongDocExample { Id = id, Text = "x", Labels = [$"c{label}"] },
        new BaselineExample(id, [], new int[tokens]) { Label = label },
        [.. Enumerable.Repeat(new Token(5, "x", 0, 1), tokens)]);

    [Fact]
    public void Classification_AccuracyF1_AndLongDocumentsApart()
    {
        // Documents of 600 and 700 tokens are long (tokens + 2 > 512); 100 and 510 are not (510 + 2 = 512).
        PreparedExample[] test = [Cls("a", 0, 100), Cls("b", 1, 600), Cls("c", 1, 700), Cls("d", 2, 510)];
        MethodPrediction[] predicted = [new(Label: 0), new(Label: 1), new(Label: 0), new(Label: 2)];
        var (metrics, outcomes) = Scoring.Classification(test, predicted, longThreshold: 512);
        Assert.Equal(0.75, metrics["accuracy"]);
        Assert.Equal(0.75, metrics["micro_f1"]);
        // per class F1: c0 = 2·1/(2+1) = 2/3, c1 = 2/(2+0+1) = 2/3, c2 = 1 → mean 7/9
        Assert.Equal(7.0 / 9, metrics["macro_f1"], 12);
        Assert.Equal(0.5, metrics["accuracy_long"]);
        Assert.Equal([1.0, 1.0, 0.0, 1.0], outcomes.Select(o => o.Score));
        Assert.Equal([100, 600, 700, 510], outcomes.Select(o => o.DocumentTokens));
    }

    [Fact]
    public void SpanQa_EmF1_SupportingFactsAndJoint()
    {
        var sentences = new List<Sentence> { new("t", 0, new CharSpan(0, 10), true), new("t", 1, new CharSpan(11, 20), false) };
        PreparedExample Qa(string id, string answer) => new(
            new LongDocExample { Id = id, Text = new string('x', 20), Question = "q", Answer = Answer.Span(answer), Sentences = sentences },
            new BaselineExample(id, [], new int[10]), [.. Enumerable.Repeat(new Token(5, "x", 0, 1), 10)]);
        PreparedExample[] test = [Qa("a", "Tarvos city"), Qa("b", "Zorblax")];
        // a: F1 of "Tarvos" vs "Tarvos city" = 2·1·0.5/1.5 = 2/3, EM 0; sp exact (1, 1) → joint F1 = 2/3·1.
        // b: exact answer, sp = {t/1} vs {t/0}: F1 0 → joint 0.
        MethodPrediction[] predicted =
        [
            new(Answer: "Tarvos", SupportingFacts: [new SupportingFact("t", 0)]),
            new(Answer: "the Zorblax", SupportingFacts: [new SupportingFact("t", 1)]),
        ];
        var (metrics, outcomes) = Scoring.SpanQa(test, predicted, longThreshold: 512);
        Assert.Equal(0.5, metrics["em"]);
        Assert.Equal((2.0 / 3 + 1) / 2, metrics["f1"], 12);
        Assert.Equal(0.5, metrics["sp_em"]);
        Assert.Equal(0.5, metrics["sp_f1"]);
        Assert.Equal(0.0, metrics["joint_em"]);
        Assert.Equal(1.0 / 3, metrics["joint_f1"], 12);
        Assert.False(metrics.ContainsKey("f1_long"));
        Assert.Equal(2.0 / 3, outcomes[0].Score, 12);
    }

    [Fact]
    public void SpanQa_MethodWithoutSupportingFacts_ReportsOnlyAnswerMetrics()
    {
        PreparedExample test = new(
            new LongDocExample { Id = "a", Text = "x", Question = "q", Answer = Answer.Yes, Sentences = [new Sentence("t", 0, new CharSpan(0, 1), true)] },
            new BaselineExample("a", [], new int[600]), [.. Enumerable.Repeat(new Token(5, "x", 0, 1), 600)]);
        var (metrics, _) = Scoring.SpanQa([test], [new MethodPrediction(Answer: "yes")], 512);
        Assert.Equal(1.0, metrics["em"]);
        Assert.Equal(1.0, metrics["f1_long"]);
        Assert.False(metrics.ContainsKey("sp_f1"));
    }
}
