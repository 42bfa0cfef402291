namespace CogLtx.Nn.Tests;

public sealed class SchedulesTests
{
    [Theory]
    // transformers get_linear_schedule_with_warmup(warmup=2, total=10), base 1e-3: k/2 for k < 2, else max(0, (10−k)/8).
    [InlineData(0, 0.0)]
    [InlineData(1, 5e-4)]
    [InlineData(2, 1e-3)]
    [InlineData(3, 8.75e-4)]
    [InlineData(6, 5e-4)]
    [InlineData(10, 0.0)]
    [InlineData(15, 0.0)]
    public void LinearWithWarmup_MatchesTransformers(int step, double expected)
    {
        Assert.Equal(expected, LrSchedules.LinearWithWarmup(1e-3, 2, 10).LearningRate(step), 1e-15);
    }

    [Theory]
    // 100 steps, peak 1e-4: warm-up over 10 steps from 0, then linear to 1e-5 at step 100, flat after.
    [InlineData(0, 0.0)]
    [InlineData(5, 5e-5)]
    [InlineData(10, 1e-4)]
    [InlineData(55, 5.5e-5)]
    [InlineData(100, 1e-5)]
    [InlineData(250, 1e-5)]
    public void CogLtxPaper_WarmsUpTenPercentThenDecaysToATenthOfPeak(int step, double expected)
    {
        Assert.Equal(expected, LrSchedules.CogLtxPaper(1e-4, 100).LearningRate(step), 1e-15);
    }

    [Theory]
    // Reference code: 1e-5 → 1e-4 over 2000 steps, back to 1e-5 at 20000, flat after.
    [InlineData(0, 1e-5)]
    [InlineData(1000, 5.5e-5)]
    [InlineData(2000, 1e-4)]
    [InlineData(11000, 5.5e-5)]
    [InlineData(20000, 1e-5)]
    [InlineData(30000, 1e-5)]
    public void CogLtxReferenceCode_RisesFromAndReturnsToTheFloor(int step, double expected)
    {
        Assert.Equal(expected, LrSchedules.CogLtxReferenceCode(1e-4).LearningRate(step), 1e-15);
    }

    [Fact]
    public void WarmupLinear_ZeroWarmupAndEqualBounds_AreWellDefined()
    {
        Assert.Equal(1.0, new WarmupLinearSchedule(1.0, 0, 4).LearningRate(0));
        Assert.Equal(0.5, new WarmupLinearSchedule(1.0, 0, 4).LearningRate(2));
        var allWarmup = new WarmupLinearSchedule(1.0, 4, 4);
        Assert.Equal(0.75, allWarmup.LearningRate(3));
        Assert.Equal(0.0, allWarmup.LearningRate(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupLinearSchedule(1.0, 5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => allWarmup.LearningRate(-1));
        Assert.Equal(3e-4, new ConstantSchedule(3e-4).LearningRate(1234));
    }
}
