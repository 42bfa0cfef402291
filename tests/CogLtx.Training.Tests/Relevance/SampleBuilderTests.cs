using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Training.Relevance;

namespace CogLtx.Training.Tests.Relevance;

public sealed class SampleBuilderTests
{
    private static Block Q(long pos = 0, int length = 10) => new([0, .. Enumerable.Repeat(5, length - 2), 2], pos, BlockKind.Query);

    private static List<Block> Docs(int count, int length, params long[] relevant) =>
        [.. Enumerable.Range(1, count).Select(i => new Block([.. Enumerable.Repeat(100 + i, length - 1), 2], i) { Relevance = relevant.Contains(i) ? 1 : 0 })];

    private static void AssertWellFormed(BlockBuffer sample, ExampleBlocks example, int capacity = 512)
    {
        Assert.True(sample.TokenCount <= capacity, $"sample of {sample.TokenCount} tokens > {capacity}");
        Assert.Equal(example.QueryBlocks, sample.Take(example.QueryBlocks.Count));
        Assert.Equal(sample.Order(Block.ReadingOrder), sample);
    }

    [Fact]
    public void JudgeSamples_ContinuousRunAndRelevantPlusNegatives()
    {
        // |Q| = 1 → lb = 7. Continuous: Q + D[st, st + 7) with st ∈ [0, 20 − 7]. Relevant: both positives + 5 negatives.
        var example = new ExampleBlocks([Q()], Docs(20, 64, 5, 12));
        var starts = new HashSet<long>();
        for (ulong seed = 0; seed < 40; seed++)
        {
            var samples = JudgeSamples.ForExample(example, new Rng(seed));
            Assert.Equal(2, samples.Count);
            var (continuous, relevant) = (samples[0], samples[1]);
            AssertWellFormed(continuous, example);
            AssertWellFormed(relevant, example);
            Assert.Equal(8, continuous.Count);
            var first = continuous[1].Position;
            Assert.Equal(Enumerable.Range(0, 7).Select(i => first + i), continuous.Skip(1).Select(b => b.Position));
            starts.Add(first - 1);
            Assert.Equal(8, relevant.Count);
            Assert.Equal(2, relevant.Count(b => b.IsRelevant));
            Assert.Equal(relevant.Count, relevant.Distinct().Count());
        }
        Assert.All(starts, st => Assert.InRange(st, 0, 13));
        Assert.True(starts.Count > 5, "the continuous start should vary with the seed");
    }

    [Fact]
    public void JudgeSamples_ManyPositives_FillWithPositivesOnly_ShortDocumentTakesAll()
    {
        var many = new ExampleBlocks([Q()], Docs(20, 30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var relevant = JudgeSamples.ForExample(many, new Rng(1))[1];
        Assert.Equal(7, relevant.Count(b => b.IsRelevant));
        Assert.Equal(8, relevant.Count);

        var shortDoc = new ExampleBlocks([Q()], Docs(3, 30, 2));
        var samples = JudgeSamples.ForExample(shortDoc, new Rng(1), CogLtxOptions.Default with { ContinuousSamples = 2 });
        Assert.Equal(3, samples.Count);
        Assert.Equal(4, samples[0].Count);
        Assert.Single(samples[1]);
        Assert.Equal(4, samples[2].Count);
    }

    [Fact]
    public void JudgeSamples_SameSeedSameSamples_QueryTooLongIsAnError()
    {
        var example = new ExampleBlocks([Q()], Docs(30, 40, 3, 17));
        var a = JudgeSamples.Build([example, example], new Rng(7));
        var b = JudgeSamples.Build([example, example], new Rng(7));
        Assert.Equal(a.Select(s => s.Select(x => x.Position).ToArray()), b.Select(s => s.Select(x => x.Position).ToArray()));

        var longQuery = new ExampleBlocks([.. Enumerable.Range(0, 8).Select(i => Q(-i - 1, 5))], Docs(3, 10));
        Assert.Contains("8 query blocks leave no room", Assert.Throws<ArgumentException>(() => JudgeSamples.ForExample(longQuery, new Rng(1))).Message);
    }

    [Fact]
    public void ReferenceReasonerSamples_IntegerCastIgnoresScores_AndCapsAtEightBlocks()
    {
        // Later negatives have much higher cached scores, but (long)0.9 = 0: the reference takes the first negatives.
        var options = CogLtxOptions.Default with { ReasonerSampling = ReasonerSamplingMode.Reference };
        var docs = Docs(20, 20, 10);
        foreach (var b in docs) b.Estimation = b.Position > 12 ? .9f : .1f;
        var example = new ExampleBlocks([Q()], docs);
        var samples = ReasonerSamples.ForExample(example, new Rng(3), options);
        Assert.Equal(2, samples.Count);
        // lb = 8 − 1 − 1 = 6: negatives 1..6.
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 10], samples[0].Select(b => b.Position));
        Assert.All(samples, s => Assert.True(s.Count <= 8));
        Assert.All(samples, s => AssertWellFormed(s, example));
        Assert.Equal(6, samples[1].Count(b => !b.IsRelevant && b.Kind == BlockKind.Document));
    }

    [Fact]
    public void ReferenceReasonerSamples_ShortDocument_RepeatsBlocks_ManyPositivesAreSubsampled()
    {
        var options = CogLtxOptions.Default with { ReasonerSampling = ReasonerSamplingMode.Reference };
        // 1 positive, 2 negatives: lb = 6, the list [n1, n2] is repeated to 8 and cut to 6 → each negative 3 times.
        var shortDoc = new ExampleBlocks([Q()], Docs(3, 20, 2));
        var promising = ReasonerSamples.ForExample(shortDoc, new Rng(3), options)[0];
        Assert.Equal([0L, 1, 1, 1, 2, 3, 3, 3], promising.Select(b => b.Position));

        // |P| = 9 ≥ 8 − 1: P becomes 6 random positives (8 − |Q| − 1), leaving lb = 1.
        var manyPositives = new ExampleBlocks([Q()], Docs(15, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        foreach (var sample in ReasonerSamples.ForExample(manyPositives, new Rng(5), options))
        {
            Assert.Equal(6, sample.Count(b => b.IsRelevant));
            Assert.Equal(8, sample.Count);
        }
    }

    [Fact]
    public void TokenFilledReasonerSamples_TopScoresFillByTokens_NoDuplicates()
    {
        // Q 10 + P 20 leaves 482 tokens: 24 negatives of 20 tokens. Negatives ranked by float estimation.
        var docs = Docs(60, 20, 30);
        foreach (var b in docs) b.Estimation = (b.Position * 37 % 60) / 60f;
        var example = new ExampleBlocks([Q()], docs);
        var options = CogLtxOptions.Default with { PromisingSamples = 2 };
        var samples = ReasonerSamples.ForExample(example, new Rng(11), options);
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => AssertWellFormed(s, example));
        Assert.All(samples, s => Assert.Equal(s.Count, s.Distinct().Count()));
        Assert.All(samples, s => Assert.Contains(docs[29], s));

        var ranked = docs.Where(b => !b.IsRelevant).OrderByDescending(b => b.Estimation).ToList();
        Assert.Equal(ranked.Take(24).Order(Block.ReadingOrder), samples[0].Skip(1).Where(b => !b.IsRelevant));
        Assert.Equal(ranked.Skip(24).Take(24).Order(Block.ReadingOrder), samples[1].Skip(1).Where(b => !b.IsRelevant));
        Assert.Equal(26, samples[2].Count);
        Assert.Equal(10 + 20 + 24 * 20, samples[0].TokenCount);
    }

    [Fact]
    public void TokenFilledReasonerSamples_DuplicateInputBlocks_NeverTwice_ManyPositivesLeaveRoom()
    {
        var docs = Docs(4, 30, 1);
        var example = new ExampleBlocks([Q()], [.. docs, docs[2], docs[3]]);
        var samples = ReasonerSamples.ForExample(example, new Rng(2), CogLtxOptions.Default with { PromisingSamples = 3 });
        // The ranking has 3 distinct negatives: the first promising sample takes them all, the second finds none left.
        Assert.Equal(2, samples.Count);
        Assert.All(samples, s => Assert.Equal(s.Count, s.Distinct().Count()));
        Assert.Equal(5, samples[0].Count);

        // 30 positives of 30 tokens cannot all fit: a random subset within 512 − 10 − 64 tokens, then negatives.
        var crowded = new ExampleBlocks([Q()], Docs(40, 30, [.. Enumerable.Range(1, 30).Select(i => (long)i)]));
        foreach (var sample in ReasonerSamples.ForExample(crowded, new Rng(9)))
        {
            AssertWellFormed(sample, crowded);
            Assert.Equal(14, sample.Count(b => b.IsRelevant));
            Assert.Equal(2, sample.Count(b => b.Kind == BlockKind.Document && !b.IsRelevant));
        }
    }
}
