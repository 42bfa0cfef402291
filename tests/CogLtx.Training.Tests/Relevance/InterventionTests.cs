using CogLtx.Text.Documents;
using CogLtx.Training.Relevance;

namespace CogLtx.Training.Tests.Relevance;

public sealed class InterventionTests
{
    private static Block Doc(long pos, int relevance = 0) => new([100 + (int)pos, 2], pos) { Relevance = relevance };

    // A fake reasoner: loss = Σ effect[b] over the blocks whose attention-mask span is zeroed (full input: 0).
    private static LossFunction FakeLoss(IReadOnlyDictionary<Block, float> effect, List<AssembledInput>? seen = null) => inputs =>
    {
        seen?.AddRange(inputs);
        return inputs.Select(input => Enumerable.Range(0, input.Blocks.Length)
            .Where(i => input.AttentionMask[input.BlockSpans[i].Start] == 0)
            .Sum(i => effect.GetValueOrDefault(input.Blocks[i]))).ToList();
    };

    [Fact]
    public void Removal_RaisingLossPromotes_LoweringDemotes_BufferZoneUnchanged_CrucialUntouched()
    {
        var query = new Block([0, 5, 2], 1, BlockKind.Query);
        var answer = new Block([7, 2], 2) { AnswerStart = 0 };
        Block up = Doc(3), down = Doc(4), smallUp = Doc(5), smallDown = Doc(6), atTop = Doc(7, relevance: 2), atBottom = Doc(8, relevance: -1),
            exactlyUp = Doc(9), exactlyDown = Doc(10);
        var effect = new Dictionary<Block, float>
        {
            [query] = 5f, [answer] = 5f, [up] = .3f, [down] = -.1f, [smallUp] = .1f, [smallDown] = -.03f,
            [atTop] = .5f, [atBottom] = -.5f, [exactlyUp] = .2f, [exactlyDown] = -.05f,
        };
        var input = BlockBuffer.Sorted(effect.Keys).Assemble();
        var changes = new RelevanceChanges();
        var seen = new List<AssembledInput>();

        var results = new Intervention().Evaluate(input, loss: 0f, Intervention.IsCrucialForQa, FakeLoss(effect, seen), changes);

        // Δ = ℓ₋b − ℓ: ≥ 0.2 and relevance < 2 → +1; ≤ −0.05 and relevance > −1 → −1; else unchanged.
        Assert.Equal(8, results.Count);
        Assert.Equal(new Dictionary<Block, int> { [up] = 1, [down] = -1, [exactlyUp] = 1, [exactlyDown] = -1 }, changes.Pending);
        Assert.DoesNotContain(seen, s => s.Blocks.Zip(s.BlockSpans).Any(p => (p.First == query || p.First == answer) && s.AttentionMask[p.Second.Start] == 0));
        Assert.Equal(.3f, results.Single(r => r.Block == up).Delta);
        Assert.Null(results.Single(r => r.Block == smallUp).NewRelevance);

        // Nothing changes until the log is applied after the epoch.
        Assert.Equal(0, up.Relevance);
        Assert.Equal(4, changes.Apply());
        Assert.Equal((1, -1, 0, 0, 2, -1, 1, -1), (up.Relevance, down.Relevance, smallUp.Relevance, smallDown.Relevance,
            atTop.Relevance, atBottom.Relevance, exactlyUp.Relevance, exactlyDown.Relevance));
        Assert.Equal((0, 0), (query.Relevance, answer.Relevance));
        Assert.Equal(0, changes.Count);
    }

    [Fact]
    public void SameBlockInSeveralInputs_ComputedFromEpochStartValue_LastWriteWins()
    {
        var query = new Block([0, 2], 1, BlockKind.Query);
        var block = Doc(2);
        var other = Doc(3);
        var input = BlockBuffer.Sorted([query, block, other]).Assemble();
        var intervention = new Intervention();
        var changes = new RelevanceChanges();

        intervention.Evaluate(input, 0f, Intervention.IsCrucialForQa, FakeLoss(new Dictionary<Block, float> { [block] = .5f }), changes);
        intervention.Evaluate(input, 0f, Intervention.IsCrucialForQa, FakeLoss(new Dictionary<Block, float> { [block] = .5f }), changes);
        Assert.Equal(1, changes.Pending[block]);  // two promotions in one epoch do not add up
        intervention.Evaluate(input, 0f, Intervention.IsCrucialForQa, FakeLoss(new Dictionary<Block, float> { [block] = 0f }), changes);
        Assert.Equal(1, changes.Pending[block]);  // a buffer-zone result writes nothing
        intervention.Evaluate(input, 0f, Intervention.IsCrucialForQa, FakeLoss(new Dictionary<Block, float> { [block] = -.5f }), changes);
        Assert.Equal(-1, changes.Pending[block]); // last write wins
        changes.Apply();
        Assert.Equal(-1, block.Relevance);
    }

    [Fact]
    public void RepeatedEpochs_KeepRelevanceWithinMinusOneAndTwo()
    {
        var query = new Block([0, 2], 1, BlockKind.Query);
        var (good, bad) = (Doc(2), Doc(3));
        var input = BlockBuffer.Sorted([query, good, bad]).Assemble();
        var loss = FakeLoss(new Dictionary<Block, float> { [good] = 1f, [bad] = -1f });
        var trajectory = new List<(int, int)>();
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var changes = new RelevanceChanges();
            new Intervention().Evaluate(input, 0f, Intervention.IsCrucialForClassification, loss, changes);
            changes.Apply();
            trajectory.Add((good.Relevance, bad.Relevance));
        }
        Assert.Equal([(1, -1), (2, -1), (2, -1), (2, -1)], trajectory);
    }

    [Fact]
    public void AblatedCopies_AreChunked_EachZeroingExactlyOneBlockSpan()
    {
        var query = new Block([0, 9, 2], 100, BlockKind.Query);
        var docs = Enumerable.Range(1, 20).Select(i => new Block([.. Enumerable.Repeat(i, i % 3 + 1), 2], i)).ToList();
        var input = BlockBuffer.Sorted(docs.Prepend(query)).Assemble();
        var calls = new List<int>();
        var seen = new List<AssembledInput>();
        LossFunction loss = inputs =>
        {
            calls.Add(inputs.Count);
            seen.AddRange(inputs);
            return [.. inputs.Select(_ => 0f)];
        };
        new Intervention().Evaluate(input, 0f, Intervention.IsCrucialForClassification, loss, new RelevanceChanges());
        Assert.Equal([16, 4], calls);
        for (var k = 0; k < 20; k++)
        {
            var span = input.SpanOf(k + 1);
            var expected = Enumerable.Range(0, input.Length).Select(t => span.Start <= t && t < span.End ? 0 : 1);
            Assert.Equal(expected, seen[k].AttentionMask);
            Assert.Equal(input.InputIds.ToArray(), seen[k].InputIds.ToArray());
        }
    }

    [Fact]
    public void InputWithoutAblatableBlocks_IsSkipped()
    {
        var input = BlockBuffer.Sorted([new Block([0, 2], 1, BlockKind.Query), new Block([5, 2], 2) { AnswerEnd = 0 }]).Assemble();
        var called = false;
        var results = new Intervention().Evaluate(input, 1f, Intervention.IsCrucialForQa, _ => { called = true; return []; }, new RelevanceChanges());
        Assert.Empty(results);
        Assert.False(called);
    }

    [Fact]
    public void WrongNumberOfLosses_IsAClearError()
    {
        var input = BlockBuffer.Sorted([new Block([0, 2], 1, BlockKind.Query), Doc(2)]).Assemble();
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Intervention().Evaluate(input, 0f, Intervention.IsCrucialForQa, _ => [], new RelevanceChanges()));
        Assert.Contains("0 losses for 1 ablated inputs", error.Message);
    }
}
