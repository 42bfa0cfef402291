using CogLtx.Text.Documents;

namespace CogLtx.Text.Tests.Documents;

public sealed class CogLtxOptionsTests
{
    [Fact]
    public void Defaults_AreTheReferenceConstants()
    {
        var o = CogLtxOptions.Default;
        Assert.Equal((512, 63, 8, 4, 8, 16), (o.Capacity, o.BlockSize, o.MaxBlocksPerBuffer, o.BlockCost, o.ForcedCutCost, o.InferenceBatchSize));
        Assert.Equal([3, 5], o.RecallSteps);
        Assert.Equal((0.2f, -0.05f, 2, -1, 16), (o.LevelUpThreshold, o.LevelDownThreshold, o.MaxRelevance, o.MinRelevance, o.InterventionChunkSize));
        Assert.Equal((1.5, 0.75, 0.25, 0.15), (o.Bm25K1, o.Bm25B, o.Bm25Epsilon, o.InitThreshold));
        Assert.Equal(ReasonerSamplingMode.TokenFilled, o.ReasonerSampling);
    }

    [Fact]
    public void Validate_NamesTheBadSetting()
    {
        Assert.Contains("RecallSteps", Assert.Throws<ArgumentException>(() => (CogLtxOptions.Default with { RecallSteps = [] }).Validate()).Message);
        Assert.Contains("Capacity", Assert.Throws<ArgumentException>(() => (CogLtxOptions.Default with { Capacity = 63 }).Validate()).Message);
        Assert.Contains("LevelDownThreshold", Assert.Throws<ArgumentException>(() => (CogLtxOptions.Default with { LevelDownThreshold = 0.3f }).Validate()).Message);
    }
}
