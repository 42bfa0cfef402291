namespace CogLtx.MemRecall.Tests;

public sealed class InferenceBatchesTests
{
    [Fact]
    public void Plan_PutsLongestFirst_CutsAtMaxRows_AndBeforeARowUnderSevenEighthsOfTheCallsLongest()
    {
        int[] lengths = [100, 512, 480, 300, 512, 450, 449, 90, 512];
        var calls = InferenceBatches.Plan(lengths, maxRows: 3);
        // 512 ×3 (indices 1, 4, 8, stable) fill a call; 480, 450, 449 (all ≥ 420 = 7/8 · 480) the next; 300 is under
        // 7/8 of 480 and 100 under 7/8 of 300, so each starts a call; 90 ≥ 87.5 joins 100.
        Assert.Equal([[1, 4, 8], [2, 5, 6], [3], [0, 7]], calls);
        Assert.Equal(Enumerable.Range(0, lengths.Length), calls.SelectMany(c => c).Order());
        Assert.All(InferenceBatches.Plan(lengths, maxRows: 1), c => Assert.Single(c));
        Assert.Empty(InferenceBatches.Plan([], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceBatches.Plan(lengths, 0));
    }
}
