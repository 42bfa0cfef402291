namespace CogLtx.Baselines.Tests;

public sealed class TruncationTests
{
    [Fact]
    public void Head_KeepsTheFirstBudgetTokens()
    {
        Assert.Equal([0, 1, 2, 3], new Truncation(TruncationKind.Head).Select(10, 4));
    }

    [Fact]
    public void Tail_KeepsTheLastBudgetTokens()
    {
        Assert.Equal([6, 7, 8, 9], new Truncation(TruncationKind.Tail).Select(10, 4));
    }

    [Fact]
    public void HeadTail_KeepsHeadTokensThenTheRestFromTheEnd()
    {
        // n = 10, budget 5, head 2: tokens 0, 1 and the last 3 (7, 8, 9).
        Assert.Equal([0, 1, 7, 8, 9], new Truncation(TruncationKind.HeadTail, HeadTokens: 2).Select(10, 5));
    }

    [Fact]
    public void HeadTail_Default128Plus382_OnA1000TokenDocument()
    {
        var kept = new Truncation(TruncationKind.HeadTail).Select(1000, 510);
        Assert.Equal(510, kept.Length);
        Assert.Equal(Enumerable.Range(0, 128), kept.Take(128));
        Assert.Equal(Enumerable.Range(618, 382), kept.Skip(128));
    }

    [Theory]
    [InlineData(TruncationKind.Head)]
    [InlineData(TruncationKind.Tail)]
    [InlineData(TruncationKind.HeadTail)]
    public void ShortDocument_IsKeptWhole(TruncationKind kind)
    {
        Assert.Equal([0, 1, 2], new Truncation(kind, HeadTokens: 2).Select(3, 5));
    }

    [Fact]
    public void HeadTail_HeadLargerThanBudget_KeepsOnlyTheHead()
    {
        Assert.Equal([0, 1, 2], new Truncation(TruncationKind.HeadTail, HeadTokens: 128).Select(10, 3));
    }

    [Fact]
    public void NegativeBudget_IsRejectedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Truncation(TruncationKind.Head).Select(10, -1));
        Assert.Contains("budget", e.Message);
    }
}
