using CogLtx.Models.Pretrained;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>Pooling arithmetic of <see cref="SentenceEmbedder"/> on hand-computed values.</summary>
public sealed class SentencePoolingTests
{
    // B = 2, T = 3, H = 2; row 0 has a padded last token, row 1 none.
    private static readonly Tensor Hidden = new([3f, 0f, 1f, 4f, 100f, 100f, 0f, 2f, 0f, 2f, 6f, 2f], 2, 3, 2);

    [Fact]
    public void Mean_pooling_ignores_padded_tokens_and_normalises()
    {
        var pooled = SentenceEmbedder.MeanPoolNormalize(Hidden, [1, 1, 0, 1, 1, 1]);
        // row 0: mean of (3, 0) and (1, 4) = (2, 2) → (0.7071, 0.7071); row 1: mean (2, 2) → same direction.
        Assert.Equal(0.70710678f, pooled[0][0], 5);
        Assert.Equal(0.70710678f, pooled[0][1], 5);
        Assert.Equal(0.70710678f, pooled[1][0], 5);
    }

    [Fact]
    public void Cls_pooling_takes_the_first_token()
    {
        var pooled = SentenceEmbedder.ClsNormalize(Hidden);
        Assert.Equal([1f, 0f], pooled[0]);
        Assert.Equal([0f, 1f], pooled[1]);
    }

    [Fact]
    public void Catalogue_pooling_follows_the_model_cards()
    {
        Assert.Equal(SentencePooling.Mean, PretrainedModels.Find("minilm")!.Pooling);
        Assert.Equal(SentencePooling.Cls, PretrainedModels.Find("arctic-xs")!.Pooling);
    }
}
