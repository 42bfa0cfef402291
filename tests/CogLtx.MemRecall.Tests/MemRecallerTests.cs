using CogLtx.Text.Documents;

namespace CogLtx.MemRecall.Tests;

public sealed class MemRecallerTests
{
    private static long[] Positions(IEnumerable<Block> blocks) => [.. blocks.Select(b => b.Position)];

    [Fact]
    public void RetrievalRehearsalDecay_FollowTheReferenceOrder_AndTheLastStepReturnsUnpruned()
    {
        // Q = 10 tokens; 20 document blocks of 32 tokens. Scores (static): 7 → .95, 3 → .90, 15 → .85, 11 → .80,
        // others .5 − .01·pos. Capacity 512 holds Q + 15 blocks (10 + 15·32 = 490); the 16th would make 522.
        var query = Blocks.Query();
        var document = Blocks.Document(20, 32);
        var scores = document.ToDictionary(b => b, b => b.Position switch { 7 => .95f, 3 => .90f, 15 => .85f, 11 => .80f, _ => .5f - .01f * b.Position });
        var scorer = new FakeScorer(scores);
        var result = new MemRecaller(scorer).Run([query], document);

        Assert.Equal(2, result.Steps.Count);
        var (first, second) = (result.Steps[0], result.Steps[1]);
        // Step 1: keep_n = |z| + 3 = 4. Enter by coarse score until the first overflow (block 16).
        Assert.Equal(4, first.KeepCount);
        Assert.Equal([7L, 3, 15, 11, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14], Positions(first.Entered));
        Assert.Equal(16L, first.StoppedAt!.Position);
        Assert.Equal(scores[document[6]], first.CoarseScores[6]);
        Assert.Equal(Positions(first.Entered.Prepend(query).Order(Block.ReadingOrder)), Positions(first.Rehearsed));
        // Decay keeps Q + the 3 best fine scores (7, 3, 15), in z's order; the other 12 decay.
        Assert.Equal([1L, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14], Positions(first.Decayed));
        Assert.False(first.Returned);

        // Step 2: keep_n = 4 + 5 = 9. Kept blocks are passed over (after the size check), 12 new blocks fill to 490.
        Assert.Equal(9, second.KeepCount);
        Assert.Equal([7L, 3, 15], Positions(second.SkippedKept));
        Assert.Equal([11L, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14], Positions(second.Entered));
        Assert.True(second.Returned);
        Assert.Empty(second.Decayed);

        // The last step returns the filled buffer unpruned: 16 blocks > keep_n = 9 (the stride 5 is never used).
        Assert.Equal(16, result.Blocks.Count);
        Assert.Equal(490, result.TokenCount);
        Assert.Same(query, result.Blocks[0]);
        Assert.Equal(1f, result.FineScores[0]);
        Assert.Equal(result.Blocks.Skip(1).Select(b => scores[b]), result.FineScores.Skip(1));
        Assert.Equal(Positions(result.Blocks.Order(Block.ReadingOrder)), Positions(result.Blocks));

        // Groups: step 1 = Q + 15 | Q + 5 blocks, step 2 = Q+3 kept + 12 | + 8. Each step's rehearsal input (z filled
        // with blocks 1..15, resp. the step-2 first group) is that step's first group: recalled, not scored again.
        Assert.Equal([2, 2], scorer.Calls.Select(c => c.Count));
        Assert.Equal(4, result.ScoredInputs);
    }

    [Fact]
    public void BridgeBlock_IsRecalledOnlyInTheSecondStep_OnceTheFirstHopIsInMemory()
    {
        // "Old School" in miniature: the query names X (block 1); the answer sits in Y (block 30), which looks
        // relevant only next to X. 30 blocks of 40 tokens: step-1 groups hold 12 blocks, so X and Y compete apart.
        var query = Blocks.Query();
        var document = Blocks.Document(30, 40);
        var (x, y) = (document[0], document[29]);
        float Score(int call, Block b, AssembledInput input) =>
            b == x ? .9f : b == y ? (input.Blocks.Contains(x) ? .95f : .1f) : .5f - .001f * b.Position;

        var result = new MemRecaller(new FakeScorer(Score)).Run([query], document);
        Assert.Equal(.1f, result.Steps[0].CoarseScores[29]);
        Assert.DoesNotContain(y, result.Steps[0].Rehearsed);
        Assert.Equal([query, x, document[1], document[2]], result.Steps[0].Rehearsed.Except(result.Steps[0].Decayed));
        Assert.Equal(.95f, result.Steps[1].CoarseScores[29]);
        Assert.Same(y, result.Steps[1].Entered[0]);
        Assert.Contains(y, result.Blocks);
        Assert.Contains(x, result.Blocks);

        var oneStep = new MemRecaller(new FakeScorer(Score), CogLtxOptions.Default with { RecallSteps = [3] }).Run([query], document);
        Assert.DoesNotContain(y, oneStep.Blocks);
    }

    [Fact]
    public void Filling_StopsAtTheFirstOverflow_WithoutSkippingToSmallerBlocks()
    {
        // Capacity 200, Q = 10: A (64, .9) → 74, B (64, .8) → 138, C (64, .7) → 202 > 200: stop; D (8, .6) would fit.
        var query = Blocks.Query();
        var (a, b, c, d) = (Blocks.Make(1, 64), Blocks.Make(2, 64), Blocks.Make(3, 64), Blocks.Make(4, 8));
        var scorer = new FakeScorer(new Dictionary<Block, float> { [a] = .9f, [b] = .8f, [c] = .7f, [d] = .6f });
        var result = new MemRecaller(scorer, CogLtxOptions.Default with { Capacity = 200 }).Run([query], [a, b, c, d]);
        Assert.Equal([query, a, b], result.Blocks);
        Assert.Same(c, result.Steps[0].StoppedAt);
        // |z| = 3 ≤ keep_n = 4: MemRecall returns after the first step.
        Assert.True(Assert.Single(result.Steps).Returned);
    }

    [Fact]
    public void KeptBlock_ThatWouldOverflow_StopsFilling_BeforeTheKeptCheck()
    {
        // Capacity 200, Q = 10. Step 1 fills K1..K3 (40 each), S1..S3 (10 each), N1 (40) = 200; rehearsal keeps K1..K3.
        // Step 2 coarse: N1 .95 enters (130 → 170); K1 .9 is kept, but 170 + 40 > 200 is checked first: stop.
        // N2 (10 tokens, .85) would fit, yet is never reached. Step 1's rehearsal input is its first group (z filled
        // with all of it), so its scores are that group's, recalled without a judge call: calls are step-1 groups (2),
        // step-2 groups (4), step-2 rehearsal.
        var query = Blocks.Query();
        Block k1 = Blocks.Make(1, 40), k2 = Blocks.Make(2, 40), k3 = Blocks.Make(3, 40);
        Block s1 = Blocks.Make(4, 10), s2 = Blocks.Make(5, 10), s3 = Blocks.Make(6, 10), n1 = Blocks.Make(7, 40), n2 = Blocks.Make(8, 10);
        var step1 = new Dictionary<Block, float> { [k1] = .9f, [k2] = .88f, [k3] = .86f, [s1] = .2f, [s2] = .2f, [s3] = .2f, [n1] = .1f, [n2] = .05f };
        var coarse2 = new Dictionary<Block, float> { [n1] = .95f, [k1] = .9f, [n2] = .85f, [k2] = .5f, [k3] = .5f, [s1] = .3f, [s2] = .3f, [s3] = .3f };
        Dictionary<Block, float>[] phases = [step1, coarse2, coarse2];
        var scorer = new FakeScorer((call, b, _) => phases[call].GetValueOrDefault(b, .5f));

        var result = new MemRecaller(scorer, CogLtxOptions.Default with { Capacity = 200 }).Run([query], [k1, k2, k3, s1, s2, s3, n1, n2]);
        Assert.Equal([k1, k2, k3, s1, s2, s3, n1], result.Steps[0].Entered);
        Assert.Equal([s1, s2, s3, n1], result.Steps[0].Decayed);
        Assert.Equal([n1], result.Steps[1].Entered);
        Assert.Same(k1, result.Steps[1].StoppedAt);
        Assert.Empty(result.Steps[1].SkippedKept);
        Assert.Equal([query, k1, k2, k3, n1], result.Blocks);
        Assert.Equal([2, 4, 1], scorer.Calls.Select(c => c.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void RandomDocuments_NeverExceedCapacity_NoDuplicates_QueryFirstAndSorted(int seed)
    {
        var random = new Random(seed);
        var capacity = new[] { 128, 256, 512 }[random.Next(3)];
        var queryBlocks = Enumerable.Range(0, random.Next(1, 3)).Select(i => Blocks.Make(-10 + i, random.Next(2, 30), BlockKind.Query)).ToList();
        var document = Enumerable.Range(1, random.Next(0, 80)).Select(i => Blocks.Make(i, random.Next(2, 65))).ToList();
        var baseScore = document.ToDictionary(b => b, _ => random.NextSingle());
        var options = CogLtxOptions.Default with { Capacity = capacity, RecallSteps = [random.Next(1, 4), random.Next(1, 6), random.Next(0, 3)], InferenceBatchSize = random.Next(1, 5) };
        // Context matters: a block scores higher next to a block at the neighbouring position.
        var scorer = new FakeScorer((_, b, input) => Math.Min(1f, baseScore.GetValueOrDefault(b, 1f) + (input.Blocks.Any(o => o.Position == b.Position - 1) ? .3f : 0f)));

        var result = new MemRecaller(scorer, options).Run(queryBlocks, document);

        Assert.All(scorer.Calls.SelectMany(c => c), input => Assert.True(input.Length <= capacity, $"input of {input.Length} tokens > {capacity}"));
        Assert.All(scorer.Calls, call => Assert.InRange(call.Count, 1, options.InferenceBatchSize));
        Assert.True(result.TokenCount <= capacity);
        Assert.Equal(queryBlocks, result.Blocks.Take(queryBlocks.Count));
        Assert.Equal(result.Blocks.Count, result.Blocks.Distinct().Count());
        Assert.Equal(Positions(result.Blocks.Order(Block.ReadingOrder)), Positions(result.Blocks));
        Assert.All(result.Blocks.Skip(queryBlocks.Count), b => Assert.Contains(b, document));
        Assert.Equal(result.Blocks.Count, result.FineScores.Count);
        Assert.All(result.Steps, s => Assert.Equal(document.Count, s.CoarseScores.Count));
        Assert.Equal(scorer.Calls.Sum(c => c.Count), result.ScoredInputs);
        Assert.Equal(scorer.Calls.Sum(c => c.Sum(input => input.Length)), result.ScoredTokens);
    }

    [Fact]
    public void Groups_AreScoredInBatchesOfInferenceBatchSize()
    {
        // Capacity 50, Q = 10, 40 blocks of 20: each group is Q + 2 blocks → 20 groups → batches 16 + 4, then one rehearsal.
        // z = Q + 2 blocks ≤ keep_n = 4, so MemRecall returns after the first step. Equal scores: blocks 1 and 2
        // enter, so the rehearsal input is the first group, recalled without a call.
        var scorer = new FakeScorer((_, b, _) => .5f);
        var result = new MemRecaller(scorer, CogLtxOptions.Default with { Capacity = 50, BlockSize = 19 }).Run([Blocks.Query()], Blocks.Document(40, 20));
        Assert.Equal([16, 4], scorer.Calls.Select(c => c.Count));
        Assert.Equal(20, result.Steps[0].GroupCount);
        Assert.Equal(20, result.ScoredInputs);
        Assert.Equal(20 * (Blocks.Query().Length + 2 * 20), result.ScoredTokens);

        var eight = new FakeScorer((_, b, _) => .5f);
        new MemRecaller(eight, CogLtxOptions.Default with { Capacity = 50, BlockSize = 19, InferenceBatchSize = 8 }).Run([Blocks.Query()], Blocks.Document(40, 20));
        Assert.Equal([8, 8, 4], eight.Calls.Select(c => c.Count));
    }

    [Fact]
    public void Cancellation_StopsBeforeTheNextJudgeCall()
    {
        var scorer = new FakeScorer((_, b, _) => .5f);
        var cancelled = new CancellationToken(canceled: true);
        Assert.ThrowsAny<OperationCanceledException>(() => new MemRecaller(scorer).Run([Blocks.Query()], Blocks.Document(10, 20), cancelled));
        Assert.Empty(scorer.Calls);

        using var source = new CancellationTokenSource();
        var cancelling = new FakeScorer((_, b, _) => .5f) { OnCall = _ => source.Cancel() };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MemRecaller(cancelling, CogLtxOptions.Default with { Capacity = 50, BlockSize = 19 }).Run([Blocks.Query()], Blocks.Document(40, 20), source.Token));
        Assert.Single(cancelling.Calls);
    }

    [Fact]
    public void BlockTooLongToSitNextToZ_ScoresMinusInfinity_AndNeverEnters()
    {
        // Capacity 128, Q = 100: A (20) fits next to Q, B (40) cannot even alone (the reference would crash here).
        var query = Blocks.Query(100);
        var (a, b) = (Blocks.Make(1, 20), Blocks.Make(2, 40));
        var scorer = new FakeScorer(new Dictionary<Block, float> { [a] = .2f, [b] = .9f });
        var result = new MemRecaller(scorer, CogLtxOptions.Default with { Capacity = 128 }).Run([query], [a, b]);
        Assert.Equal([.2f, float.NegativeInfinity], result.Steps[0].CoarseScores);
        Assert.Equal([query, a], result.Blocks);
        Assert.Same(b, result.Steps[0].StoppedAt);
        Assert.All(scorer.Calls.SelectMany(c => c), input => Assert.DoesNotContain(b, input.Blocks));
    }

    [Fact]
    public void EmptyDocument_ReturnsTheQuery_AfterOneRehearsal()
    {
        var query = Blocks.Query();
        var scorer = new FakeScorer((_, b, _) => .5f);
        var result = new MemRecaller(scorer).Run([query], []);
        Assert.Equal([query], result.Blocks);
        Assert.Equal([1f], result.FineScores);
        Assert.Equal(1, result.ScoredInputs);
        Assert.Equal(query.Length, result.ScoredTokens);
    }

    [Fact]
    public void UnsortedQuery_IsCopiedAndSorted()
    {
        var (q1, q2) = (Blocks.Make(1, 5, BlockKind.Query), Blocks.Make(2, 5, BlockKind.Query));
        Block[] query = [q2, q1];
        var result = new MemRecaller(new FakeScorer((_, b, _) => .5f)).Run(query, [Blocks.Make(3, 5)]);
        Assert.Equal([q1, q2], result.Blocks.Take(2));
        Assert.Equal([q2, q1], query);
    }

    [Fact]
    public void BrokenScorer_IsAClearError()
    {
        var tooFew = new BrokenScorer();
        var error = Assert.Throws<InvalidOperationException>(() => new MemRecaller(tooFew).Run([Blocks.Query()], Blocks.Document(3, 5)));
        Assert.Contains("returned 0 score arrays for 1 inputs", error.Message);
        Assert.Contains("more than the capacity", Assert.Throws<ArgumentException>(() => new MemRecaller(tooFew).Run([Blocks.Query(600)], [])).Message);
    }

    private sealed class BrokenScorer : IBlockScorer
    {
        public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default) => [];
    }
}
