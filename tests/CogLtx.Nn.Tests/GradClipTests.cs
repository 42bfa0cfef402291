using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class GradClipTests
{
    [Fact]
    public void ClipGradNorm_AboveMax_ScalesAllGradsByMaxOverNorm()
    {
        // grads (3, 4) and (12): total = √(9 + 16 + 144) = 13 → scale 1/(13 + 1e-6).
        var a = WithGrad([3f, 4f]);
        var b = WithGrad([12f]);
        var none = AdamWTests.Param(new Tensor([5f], 1));
        var norm = GradClip.ClipGradNorm([a, b, none], 1.0);
        Assert.Equal(13f, norm, 1e-5f);
        var scale = 1f / (13f + 1e-6f);
        Assert.Equal([3f * scale, 4f * scale], a.Grad!);
        Assert.Equal([12f * scale], b.Grad!);
        Assert.Null(none.Grad);
    }

    [Fact]
    public void ClipGradNorm_BelowMax_LeavesGradsUnchanged()
    {
        var a = WithGrad([0.3f, 0.4f]);
        Assert.Equal(0.5f, GradClip.ClipGradNorm([a], 1.0), 1e-7f);
        Assert.Equal([0.3f, 0.4f], a.Grad!);
    }

    [Fact]
    public void ClipGradNorm_NonFinite_ReturnsNaNOrInfinityAndDoesNotScale()
    {
        var a = WithGrad([1f, float.NaN]);
        var b = WithGrad([100f]);
        Assert.True(float.IsNaN(GradClip.ClipGradNorm([a, b], 1.0)));
        Assert.Equal([100f], b.Grad!);
        Assert.True(float.IsPositiveInfinity(GradClip.TotalNorm([WithGrad([float.NegativeInfinity])])));
    }

    private static Tensor WithGrad(float[] grad)
    {
        var t = AdamWTests.Param(Tensor.Zeros(grad.Length));
        grad.CopyTo(t.GradSpan());
        return t;
    }
}
