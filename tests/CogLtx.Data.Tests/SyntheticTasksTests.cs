using System.Text.RegularExpressions;
using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class SyntheticTasksTests
{
    private static readonly SyntheticOptions Small = new() { TrainCount = 12, TestCount = 4, MinTokens = 700, MaxTokens = 1_400, Seed = 42 };

    /// <summary>Index of the first basic token of a span, counted independently of the generator.</summary>
    private static int TokenStart(LongDocExample e, Text.Documents.CharSpan span) => BasicTokenization.Count(e.Text[..span.Start]);

    private static int TokenEnd(LongDocExample e, Text.Documents.CharSpan span) => BasicTokenization.Count(e.Text[..span.End]);

    private static string Serialize(Dataset data)
    {
        using var temp = new TempDir();
        LongDocJsonl.Write(data.Train.Concat(data.Test), temp.File("d.jsonl"));
        return File.ReadAllText(temp.File("d.jsonl"));
    }

    [Fact]
    public void MultiHopQa_SameSeed_GivesIdenticalData_OtherSeedDiffers()
    {
        var a = Serialize(SyntheticTasks.MultiHopQa(Small));
        Assert.Equal(a, Serialize(SyntheticTasks.MultiHopQa(Small)));
        Assert.NotEqual(a, Serialize(SyntheticTasks.MultiHopQa(Small with { Seed = 43 })));
    }

    [Fact]
    public void KeySentenceClassification_SameSeed_GivesIdenticalData()
    {
        Assert.Equal(Serialize(SyntheticTasks.KeySentenceClassification(Small)), Serialize(SyntheticTasks.KeySentenceClassification(Small)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.0)]
    public void MultiHopQa_LateFraction_PutsBothFactsPastToken512InExactlyThatShare(double fraction)
    {
        var data = SyntheticTasks.MultiHopQa(Small with { TrainCount = 20, LateEvidenceFraction = fraction });
        var late = data.Train.Where(e => e.RelevantSpans.All(s => TokenStart(e, s) >= 512)).ToList();
        var early = data.Train.Where(e => e.RelevantSpans.All(s => TokenEnd(e, s) <= 400)).ToList();
        Assert.Equal((int)Math.Round(fraction * 20, MidpointRounding.AwayFromZero), late.Count);
        Assert.Equal(20 - late.Count, early.Count);
        Assert.All(late, e => Assert.Equal("late", e.Metadata["evidence"]));
        foreach (var e in data.Train)
        {
            var reported = e.Metadata["evidence_token_starts"].Split(',').Select(int.Parse).Order();
            var measured = e.Sentences!.Where(s => s.IsSupporting).Select(s => TokenStart(e, s.Span)).Order();
            Assert.Equal(measured, reported);
        }
    }

    [Fact]
    public void MultiHopQa_AnswerSpanLiesInTheSecondFact_AndEachFactIsStatedOnce()
    {
        var data = SyntheticTasks.MultiHopQa(Small);
        Assert.Equal(ReasonerTask.SpanQa, data.Kind);
        Assert.Equal(3, data.Train.Concat(data.Test).Select(e => e.Metadata["chain"]).Distinct().Count());
        foreach (var e in data.Train.Concat(data.Test))
        {
            var span = Assert.Single(e.Answer!.Spans);
            Assert.Equal(e.Answer.Text, e.Slice(span));
            var facts = e.RelevantSpans.Select(e.Slice).ToList();
            Assert.Equal(2, facts.Count);
            Assert.Single(e.RelevantSpans, s => s.Contains(span));
            var answerFact = facts.Single(f => f.EndsWith(e.Answer.Text + ".", StringComparison.Ordinal));
            var bridgeFact = facts.Single(f => f != answerFact);
            foreach (var fact in facts)
                Assert.Single(Regex.Matches(e.Text, Regex.Escape(fact)));
            // Fact 2 is "<bridge> <relation> <answer>."; fact 1 is "<entity of the question> <relation> <bridge>.".
            var relation = new[] { " was born in ", " lives in ", " works at " }.Single(r => answerFact.Contains(r, StringComparison.Ordinal));
            var bridge = answerFact[..answerFact.IndexOf(relation, StringComparison.Ordinal)];
            Assert.EndsWith(" " + bridge + ".", bridgeFact);
            var link = new[] { " was founded by ", " was written by ", " is married to " }.Single(r => bridgeFact.Contains(r, StringComparison.Ordinal));
            Assert.Contains(bridgeFact[..bridgeFact.IndexOf(link, StringComparison.Ordinal)], e.Question);
            // No other sentence states the asked relation of the bridge entity, so the answer is unique.
            Assert.Single(e.Sentences!, s => e.Slice(s.Span).StartsWith(bridge + relation, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Generators_LengthsStayWithinTheRequestedTokenRange()
    {
        var options = Small with { MinTokens = 2_000, MaxTokens = 2_500, TrainCount = 3, TestCount = 1 };
        foreach (var e in SyntheticTasks.MultiHopQa(options).Train.Concat(SyntheticTasks.KeySentenceClassification(options).Train))
            Assert.InRange(BasicTokenization.Count(e.Text), 2_000, 2_540);
    }

    [Fact]
    public void KeySentenceClassification_OnlyTheKeySentencesCarryClassTemplates()
    {
        var data = SyntheticTasks.KeySentenceClassification(Small with { ClassCount = 3, EvidenceSentences = 2 });
        Assert.Equal(["finance", "sports", "weather"], data.LabelNames);
        var patterns = new Dictionary<string, Regex>
        {
            ["sports"] = Pattern("scored the winning goal", "won the championship final", "praised", "celebrated the victory"),
            ["finance"] = Pattern("rose sharply", "reported record profits", "sold their", "lowered its interest rates"),
            ["weather"] = Pattern("flooded the streets", "closed the roads", "warned of strong winds", "dried the fields"),
        };
        foreach (var e in data.Train.Concat(data.Test))
        {
            var supporting = e.Sentences!.Where(s => s.IsSupporting).Select(s => e.Slice(s.Span)).ToList();
            Assert.Equal(2, supporting.Count);
            Assert.All(supporting, s => Assert.Matches(patterns[e.Label], s));
            var others = e.Sentences!.Where(s => !s.IsSupporting).Select(s => e.Slice(s.Span));
            Assert.DoesNotContain(others, s => patterns.Values.Any(p => p.IsMatch(s)));
        }
        // Confounders name other classes' topics, so topic words alone do not give the label away.
        Assert.Contains(data.Train, e => e.Label != "weather" && e.Text.Contains("about the storm", StringComparison.Ordinal));
    }

    private static Regex Pattern(params string[] phrases) => new(string.Join('|', phrases.Select(Regex.Escape)));

    [Fact]
    public void Options_Invalid_AreRejectedWithTheRule()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTasks.MultiHopQa(new SyntheticOptions { MinTokens = 300, MaxTokens = 400 }));
        Assert.Contains("leaves no room for evidence after token 512", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTasks.KeySentenceClassification(new SyntheticOptions { ClassCount = 7 }));
    }
}
