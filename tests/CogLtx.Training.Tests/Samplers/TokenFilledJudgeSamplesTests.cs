using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Training.Samplers;

namespace CogLtx.Training.Tests.Samplers;

public sealed class TokenFilledJudgeSamplesTests
{
    // Query of 4 tokens; 20 document blocks of 10 tokens (positions 2..21), blocks 7 and 15 relevant; capacity 64
    // leaves 60 tokens: six blocks per sample.
    private static ExampleBlocks Example()
    {
        var query = new Block([2, 5, 6, 3], 1, BlockKind.Query);
        var docs = Enumerable.Range(2, 20).Select(p => new Block(Enumerable.Repeat(9, 10).ToArray(), p) { Relevance = p is 7 or 15 ? 1 : 0 }).ToList();
        return new ExampleBlocks([query], docs);
    }

    private static readonly CogLtxOptions Options = new() { Capacity = 64, BlockSize = 9, ContinuousSamples = 2, RelevantSamples = 1 };

    [Fact]
    public void ContinuousSamples_AreConsecutiveRunsFilledToCapacity_TheSecondContinuingTheFirst()
    {
        var samples = TokenFilledJudgeSamples.ForExample(Example(), new Rng(3), Options);
        Assert.Equal(3, samples.Count);
        var first = samples[0].Skip(1).Select(b => b.Position).ToList();
        var second = samples[1].Skip(1).Select(b => b.Position).ToList();
        Assert.Equal(6, first.Count);
        Assert.Equal(Enumerable.Range((int)first[0], 6).Select(p => (long)p), first);
        Assert.Equal(first[^1] + 1, second[0]);
        Assert.All(samples, s => Assert.True(s.TokenCount <= Options.Capacity));
        Assert.All(samples, s => Assert.Equal(BlockKind.Query, s[0].Kind));
    }

    [Fact]
    public void ContinuousStart_LeavesRoomForAllRuns_WhenTheDocumentIsLongEnough()
    {
        for (ulong seed = 0; seed < 50; seed++)
        {
            var samples = TokenFilledJudgeSamples.ForExample(Example(), new Rng(seed), Options);
            Assert.Equal(7, samples[0].Count);
            Assert.Equal(7, samples[1].Count);
        }
    }

    [Fact]
    public void RelevantSample_HoldsEveryRelevantBlock_PlusNegativesToCapacity_Sorted()
    {
        var relevant = TokenFilledJudgeSamples.ForExample(Example(), new Rng(5), Options)[2];
        var positions = relevant.Select(b => b.Position).ToList();
        Assert.Contains(7L, positions);
        Assert.Contains(15L, positions);
        Assert.Equal(7, relevant.Count);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
    }

    [Fact]
    public void ShortDocument_GivesShorterSamples_NeverRepeatedBlocks()
    {
        var example = Example() with { DocumentBlocks = Example().DocumentBlocks.Take(3).ToList() };
        var samples = TokenFilledJudgeSamples.ForExample(example, new Rng(1), Options);
        Assert.Equal(4, samples[0].Count);
        Assert.Single(samples[1]);                  // nothing left for the second run
        Assert.Equal(4, samples[2].Count);
        Assert.All(samples, s => Assert.Equal(s.Count, s.Distinct().Count()));
    }
}
