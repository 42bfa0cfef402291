using CogLtx.Text.Documents;
using CogLtx.Training.Relevance;

namespace CogLtx.Training.Tests.Relevance;

public sealed class RelevanceInitializerTests
{
    [Fact]
    public void Bm25_HandWorkedExample_MatchesGensim38()
    {
        // Corpus: d0 = [cat, sat], d1 = [cat, cat, dog], d2 = [fish]; N = 3, avgdl = 6/3 = 2.
        // Raw idf = ln(N − n + 0.5) − ln(n + 0.5): cat (n = 2) ln 1.5 − ln 2.5 < 0; sat, dog, fish (n = 1) ln 2.5 − ln 1.5.
        // Mean raw idf = (−L + 3L)/4 = L/2 with L = ln(2.5/1.5); cat's idf is floored to ε·mean = 0.25·L/2.
        var bm25 = new Bm25([["cat", "sat"], ["cat", "cat", "dog"], ["fish"]]);
        var l = Math.Log(2.5) - Math.Log(1.5);
        var idfCat = 0.25 * l / 2;
        Assert.Equal(l / 2, bm25.AverageIdf, 12);
        Assert.Equal(idfCat, bm25.Idf("cat"), 12);
        Assert.Equal(l, bm25.Idf("dog"), 12);

        // Query [cat, dog]. d0: |d| = 2 → K = 1.5·(0.25 + 0.75·2/2) = 1.5; cat f = 1: idf·1·2.5/(1 + 1.5).
        // d1: |d| = 3 → K = 1.5·(0.25 + 0.75·1.5) = 2.0625; cat f = 2: idf·2·2.5/(2 + K); dog f = 1: L·2.5/(1 + K).
        var scores = bm25.Scores(["cat", "dog"]);
        Assert.Equal(idfCat * 2.5 / 2.5, scores[0], 12);
        Assert.Equal(idfCat * 2 * 2.5 / (2 + 2.0625) + l * 2.5 / (1 + 2.0625), scores[1], 12);
        Assert.Equal(0, scores[2]);
        // A repeated query word counts twice.
        Assert.Equal(2 * scores[0], bm25.Score(["cat", "cat"], 0), 12);
    }

    [Fact]
    public void Words_DropsSpecialTokensAndNonWordCharacters_LowerCases()
    {
        Assert.Equal(["hello", "world_1", "über", "x2"], RelevanceInitializer.Words("<s> Hello,World_1 </s>(Über)<pad>x2!"));
    }

    [Fact]
    public void InitBm25_MarksBlocksWithin15PercentOfTheBest()
    {
        // Same corpus as above: scores ≈ 0.0639, 0.4956, 0; only d1 has 1 − s/max < 0.15. Existing relevance is kept (max).
        var texts = new Dictionary<long, string> { [1] = "<s>Cat dog?</s>", [2] = "cat sat", [3] = "cat, cat. dog!", [4] = "fish", [5] = "fish" };
        Block Make(long pos, BlockKind kind = BlockKind.Document, int relevance = 0) => new([pos == 1 ? 0 : 9, 2], pos, kind) { Relevance = relevance };
        var query = Make(1, BlockKind.Query);
        var (d0, d1, d2, d3) = (Make(2), Make(3), Make(4), Make(5, relevance: 3));
        var example = new ExampleBlocks([query], [d0, d1, d2]);
        Assert.True(RelevanceInitializer.InitBm25(example, b => texts[b.Position]));
        Assert.Equal((0, 1, 0), (d0.Relevance, d1.Relevance, d2.Relevance));

        var noMatch = new ExampleBlocks([query], [d2, d3]);
        Assert.False(RelevanceInitializer.InitBm25(noMatch, b => texts[b.Position]));
        // "fish" is in every block: negative idf, floored to ε times a negative mean, so no score is positive.
        Assert.False(RelevanceInitializer.InitBm25(noMatch, b => texts[b.Position], queryText: "fish"));
        Assert.Equal((0, 3), (d2.Relevance, d3.Relevance));

        // The 20News transform: the query is the label name with '.' → ' '.
        var labelled = new ExampleBlocks([query], [d0, d2, d3]);
        Assert.True(RelevanceInitializer.InitBm25(labelled, b => texts[b.Position], queryText: "rec.sat".Replace('.', ' ')));
        Assert.Equal((1, 0, 3), (d0.Relevance, d2.Relevance, d3.Relevance));
    }
}
