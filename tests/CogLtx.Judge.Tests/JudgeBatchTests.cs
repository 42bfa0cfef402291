using CogLtx.Text.Documents;

namespace CogLtx.Judge.Tests;

public sealed class JudgeBatchTests
{
    private static Block Query(params int[] ids) => new(ids, 1, BlockKind.Query);

    private static Block Doc(long pos, int relevance, params int[] ids) => new(ids, pos) { Relevance = relevance };

    [Fact]
    public void TokenLabels_OneOnRelevantBlocksAndQuery_SeparatorIncluded()
    {
        // z+ = [<s> q q </s>] [a b </s>](relevant) [c </s>](irrelevant) [d e f </s>](relevance 2)
        var input = AssembledInput.From([Query(0, 7, 8, 2), Doc(2, 1, 9, 10, 2), Doc(3, 0, 11, 2), Doc(4, 2, 12, 13, 14, 2)]);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1], JudgeBatch.TokenLabels(input));
        // Reference behaviour: the query's label follows its relevance (0 here, as in 20News).
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1], JudgeBatch.TokenLabels(input, labelQueryTokens: false));
    }

    [Fact]
    public void TokenLabels_NegativeRelevance_IsIrrelevant()
    {
        var input = AssembledInput.From([Query(0, 2), Doc(2, -1, 5, 2)]);
        Assert.Equal([1, 1, 0, 0], JudgeBatch.TokenLabels(input));
    }

    [Fact]
    public void Create_PadsToLongestRow_WithPadIdAndZeroMasks()
    {
        var a = AssembledInput.From([Query(0, 2), Doc(2, 1, 5, 6, 2)]);     // 5 tokens
        var b = AssembledInput.From([Query(0, 2), Doc(3, 0, 7, 2)]);        // 4 tokens
        var batch = JudgeBatch.Create([a, b], padId: 1);
        Assert.Equal((2, 5), (batch.Input.Batch, batch.Input.Length));
        Assert.Equal([0, 2, 5, 6, 2, 0, 2, 7, 2, 1], batch.Input.InputIds);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], batch.Input.AttentionMask);
        Assert.Equal([1f, 1, 1, 1, 1, 1, 1, 0, 0, 0], batch.Labels);
        Assert.Equal([1f, 1, 1, 1, 1, 1, 1, 1, 1, 0], batch.LossMask);
    }

    [Fact]
    public void Create_RemovedBlock_IsOutsideTheLoss()
    {
        var input = AssembledInput.From([Query(0, 2), Doc(2, 1, 5, 2), Doc(3, 0, 6, 2)]).WithoutBlock(1);
        var batch = JudgeBatch.Create([input], padId: 1);
        Assert.Equal([1f, 1, 0, 0, 1, 1], batch.LossMask);
    }

    [Fact]
    public void Create_EmptyBatch_Throws() => Assert.Throws<ArgumentException>(() => JudgeBatch.Create([], 1));
}
