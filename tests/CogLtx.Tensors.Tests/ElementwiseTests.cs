using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class ElementwiseTests
{
    [Fact]
    public void Add_Broadcast_HandComputed()
    {
        // (2, 1) + (1, 3) → (2, 3): a_i + b_j
        var y = Ops.Add(new Tensor([1f, 10f], 2, 1), new Tensor([1f, 2f, 3f], 1, 3));
        Assert.Equal(new[] { 2, 3 }, y.Shape);
        Assert.Equal(new float[] { 2, 3, 4, 11, 12, 13 }, y.Data);
    }

    [Fact]
    public void Sub_And_Mul_Broadcast_HandComputed()
    {
        var a = new Tensor([1f, 2f, 3f, 4f], 2, 2);
        Assert.Equal(new float[] { 0, 0, 2, 2 }, Ops.Sub(a, new Tensor([1f, 2f], 2)).Data);
        Assert.Equal(new float[] { 1, 2, 30, 40 }, Ops.Mul(a, new Tensor([1f, 10f], 2, 1)).Data);
        Assert.Equal(new float[] { -2, -1, 0, 1 }, Ops.Sub(a, Tensor.Scalar(3f)).Data);
    }

    [Fact]
    public void Incompatible_Shapes_Throw_NamingThem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Add(Tensor.Zeros(2, 3), Tensor.Zeros(2)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[2]", ex.Message);
    }

    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { [2, 3, 4], [2, 3, 4] },
        { [2, 3, 4], [4] },
        { [2, 3, 4], [2, 1, 4] },
        { [2, 1, 4], [1, 3, 1] },
        { [3, 1], [2, 1, 4] },
        { [2, 3, 4], [1] },
        { [1], [2, 3] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Add_Backward_MatchesFiniteDifferences(int[] sa, int[] sb) =>
        GradCheck.Assert(x => Ops.Add(x[0], x[1]), [T.Param(1, sa), T.Param(2, sb)]);

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Sub_Backward_MatchesFiniteDifferences(int[] sa, int[] sb) =>
        GradCheck.Assert(x => Ops.Sub(x[0], x[1]), [T.Param(3, sa), T.Param(4, sb)]);

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Mul_Backward_MatchesFiniteDifferences(int[] sa, int[] sb) =>
        GradCheck.Assert(x => Ops.Mul(x[0], x[1]), [T.Param(5, sa), T.Param(6, sb)]);

    [Fact]
    public void SameTensorTwice_Backward_MatchesFiniteDifferences()
    {
        // x·x, x + x, x − x (gradient 0) and x + x·x: one tensor feeding both operands.
        GradCheck.Assert(x => Ops.Mul(x[0], x[0]), [T.Param(7, 2, 3)]);
        GradCheck.Assert(x => Ops.Add(x[0], x[0]), [T.Param(8, 2, 3)]);
        GradCheck.Assert(x => Ops.Sub(x[0], x[0]), [T.Param(9, 2, 3)]);
        GradCheck.Assert(x => Ops.Add(x[0], Ops.Mul(x[0], x[0])), [T.Param(10, 2, 3)]);
        GradCheck.Assert(x => Ops.Add(Ops.Reshape(x[0], 3, 2), Ops.Reshape(x[0], 3, 2)), [T.Param(11, 2, 3)]);
    }

    [Fact]
    public void Scale_And_AddScalar_ForwardAndBackward()
    {
        var x = T.Of([1f, -2f], 2);
        Assert.Equal(new float[] { 3, -6 }, Ops.Scale(x, 3f).Data);
        Assert.Equal(new float[] { 1.5f, -1.5f }, Ops.AddScalar(x, 0.5f).Data);
        GradCheck.Assert(t => Ops.Scale(t[0], -2.5f), [T.Param(8, 2, 3)]);
        GradCheck.Assert(t => Ops.AddScalar(t[0], 4f), [T.Param(9, 2, 3)]);
    }

    [Fact]
    public void Add_LargeSameShape_ParallelPathMatchesSerialValues()
    {
        var a = Tensor.Randn(new Rng(1), 1f, 300_000);
        var b = Tensor.Randn(new Rng(2), 1f, 300_000);
        var y = Ops.Mul(a, b);
        for (var i = 0; i < y.Size; i += 997) Assert.Equal(a.Data[i] * b.Data[i], y.Data[i]);
    }
}
