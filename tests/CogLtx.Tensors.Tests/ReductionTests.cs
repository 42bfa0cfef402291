using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class ReductionTests
{
    private static readonly Tensor X = new([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

    [Fact]
    public void Sum_Mean_HandComputed()
    {
        Assert.Equal(21f, Ops.Sum(X).Item());
        Assert.Equal(3.5f, Ops.Mean(X).Item());
        Assert.Equal(new float[] { 5, 7, 9 }, Ops.Sum(X, 0).Data);
        Assert.Equal(new float[] { 2, 5 }, Ops.Mean(X, 1).Data);
        Assert.Equal(new[] { 2, 1 }, Ops.Mean(X, -1, keepDim: true).Shape);
    }

    [Fact]
    public void Max_HandComputed_FirstArgMaxGetsGradient()
    {
        var x = T.Of([3f, 1f, 3f, 0f, 5f, 2f], 2, 3);
        var y = Ops.Max(x, 1);
        Assert.Equal(new float[] { 3, 5 }, y.Data);
        y.Backward([1f, 2f]);
        Assert.Equal(new float[] { 1, 0, 0, 0, 2, 0 }, x.Grad);
    }

    [Fact]
    public void Reductions_Backward_MatchFiniteDifferences()
    {
        GradCheck.Assert(x => Ops.Sum(x[0]), [T.Param(1, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Mean(x[0]), [T.Param(2, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Sum(x[0], 1), [T.Param(3, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Mean(x[0], -1, keepDim: true), [T.Param(4, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Mean(x[0], 0), [T.Param(5, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Max(x[0], 1), [T.Param(6, 2, 3, 4)]);
    }

    [Fact]
    public void BadDim_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Sum(X, 2));
}
