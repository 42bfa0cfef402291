using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class ShapeTests
{
    [Fact]
    public void Reshape_SharesStorage_AndGradientFlows()
    {
        var x = T.Param(1, 2, 6);
        var y = Ops.Reshape(x, 3, -1);
        Assert.Equal(new[] { 3, 4 }, y.Shape);
        Assert.Same(x.Data, y.Data);
        x.Data[5] = 42f;
        Assert.Equal(42f, y[1, 1]);
        GradCheck.Assert(t => Ops.Mul(Ops.Reshape(t[0], 4, 3), Ops.Reshape(t[0], 4, 3)), [x]);
    }

    [Fact]
    public void Reshape_Incompatible_Throws() =>
        Assert.Throws<ArgumentException>(() => Ops.Reshape(Tensor.Zeros(2, 3), 4, -1));

    [Fact]
    public void Permute_HandComputed()
    {
        // (2, 3) → (3, 2) is the transpose.
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, Ops.Permute(x, 1, 0).Data);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, Ops.Transpose(x, 0, 1).Data);
        var y = Ops.Permute(Tensor.Zeros(2, 3, 4, 5), 0, 2, 1, 3);
        Assert.Equal(new[] { 2, 4, 3, 5 }, y.Shape);
    }

    [Fact]
    public void Permute_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(x => Ops.Permute(x[0], 0, 2, 1, 3), [T.Param(1, 2, 3, 2, 2)]);
        GradCheck.Assert(x => Ops.Permute(x[0], 2, 0, 1), [T.Param(2, 2, 3, 4)]);
        GradCheck.Assert(x => Ops.Transpose(x[0], -1, -2), [T.Param(3, 2, 3, 4)]);
    }

    [Fact]
    public void Slice_HandComputed_AndBackward()
    {
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal(new float[] { 2, 3, 5, 6 }, Ops.Slice(x, 1, 1, 2).Data);
        Assert.Equal(new float[] { 4, 5, 6 }, Ops.Slice(x, 0, 1, 1).Data);
        GradCheck.Assert(t => Ops.Slice(t[0], 1, 1, 2), [T.Param(4, 2, 4, 3)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Slice(x, 1, 2, 2));
    }

    [Fact]
    public void Concat_HandComputed_AndBackward()
    {
        var a = new Tensor([1f, 2f, 3f, 4f], 2, 2);
        var b = new Tensor([5f, 6f], 2, 1);
        Assert.Equal(new float[] { 1, 2, 5, 3, 4, 6 }, Ops.Concat([a, b], 1).Data);
        GradCheck.Assert(x => Ops.Concat([x[0], x[1]], 1), [T.Param(5, 2, 2, 3), T.Param(6, 2, 1, 3)]);
        GradCheck.Assert(x => Ops.Concat([x[0], x[1], x[0]], 0), [T.Param(7, 1, 3), T.Param(8, 2, 3)]);
    }

    [Fact]
    public void IndexSelect_RepeatedIndices_AccumulateGradient()
    {
        var x = T.Of([1f, 2f, 3f, 4f, 5f, 6f], 3, 2);
        var y = Ops.IndexSelect(x, 0, [2, 0, 2]);
        Assert.Equal(new float[] { 5, 6, 1, 2, 5, 6 }, y.Data);
        Ops.Sum(y).Backward();
        Assert.Equal(new float[] { 1, 1, 0, 0, 2, 2 }, x.Grad);
        GradCheck.Assert(t => Ops.IndexSelect(t[0], 1, [1, 1, 0]), [T.Param(9, 2, 3, 2)]);
    }

    [Fact]
    public void Gather_LastAxis_HandComputed_AndBackward()
    {
        var x = new Tensor([10f, 11f, 12f, 20f, 21f, 22f], 2, 3);
        Assert.Equal(new float[] { 12, 10, 21, 21 }, Ops.Gather(x, [2, 0, 1, 1], [2, 2]).Data);
        GradCheck.Assert(t => Ops.Gather(t[0], [0, 3, 3, 1, 2, 0], [2, 3]), [T.Param(10, 2, 4)]);
    }
}
