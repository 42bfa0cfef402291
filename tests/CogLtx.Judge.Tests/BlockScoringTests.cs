using CogLtx.Text.Documents;

namespace CogLtx.Judge.Tests;

public sealed class BlockScoringTests
{
    [Fact]
    public void Scores_AreMeanTokenSigmoids_SeparatorIncluded()
    {
        // logits 0 → σ = 0.5; ln 3 → 0.75; −ln 3 → 0.25
        var l3 = MathF.Log(3f);
        var input = AssembledInput.From([new Block([0, 2], 1, BlockKind.Query), new Block([5, 6, 2], 2), new Block([7, 2], 3)]);
        float[] logits = [0f, 0f, l3, l3, -l3, 0f, l3, 99f];    // last entry is padding, never read
        var scores = BlockScoring.Scores(logits, input);
        Assert.Equal(0.5f, scores[0], 6);
        Assert.Equal((0.75f + 0.75f + 0.25f) / 3, scores[1], 6);
        Assert.Equal((0.5f + 0.75f) / 2, scores[2], 6);
    }

    [Theory]
    [InlineData(0f, 0.5f)]
    [InlineData(100f, 1f)]
    [InlineData(-100f, 3.7200760e-44f)]
    public void Sigmoid_IsStableAtExtremes(float x, float expected) => Assert.Equal(expected, BlockScoring.Sigmoid(x), 6);

    [Fact]
    public void MeanSigmoid_SpanOutsideRow_Throws() =>
        Assert.Throws<ArgumentException>(() => BlockScoring.MeanSigmoid([0f, 0f], new TokenSpan(1, 3)));
}
