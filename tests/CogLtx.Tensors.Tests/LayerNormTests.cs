using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class LayerNormTests
{
    [Fact]
    public void LayerNorm_HandComputed_BiasedVariance()
    {
        // x = [1, 2, 3, 4]: μ = 2.5, σ² = 1.25 (divide by 4, not 3); with w = 2, b = 1 and eps = 0:
        // y = 2·(x − 2.5)/√1.25 + 1
        var y = Ops.LayerNorm(new Tensor([1f, 2f, 3f, 4f], 1, 4), Tensor.Full(2f, 4), Tensor.Ones(4), 0f);
        var s = 2 / MathF.Sqrt(1.25f);
        T.Close([1 - 1.5f * s, 1 - 0.5f * s, 1 + 0.5f * s, 1 + 1.5f * s], y.Data, 1e-6);
    }

    [Fact]
    public void LayerNorm_Backward_MatchesFiniteDifferences()
    {
        var w = T.Param(2, 4);
        for (var i = 0; i < w.Size; i++) w.Data[i] += 1f;
        GradCheck.Assert(x => Ops.LayerNorm(x[0], x[1], x[2], 1e-5f), [T.Param(1, 2, 3, 4), w, T.Param(3, 4)], eps: 1e-3f);
    }

    [Fact]
    public void LayerNorm_WrongWeight_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.LayerNorm(Tensor.Zeros(2, 4), Tensor.Ones(3), Tensor.Zeros(4), 1e-12f));
        Assert.Contains("4 features", ex.Message);
    }
}
