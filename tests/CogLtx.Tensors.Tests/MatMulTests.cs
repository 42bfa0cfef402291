using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class MatMulTests
{
    [Fact]
    public void MatMul_HandComputed()
    {
        // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        var a = new Tensor([1f, 2f, 3f, 4f], 2, 2);
        var b = new Tensor([5f, 6f, 7f, 8f], 2, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, Ops.MatMul(a, b).Data);
        // aᵀ·b = [[1, 3], [2, 4]]·b = [[26, 30], [38, 44]]; a·bᵀ = [[17, 23], [39, 53]]
        Assert.Equal(new float[] { 26, 30, 38, 44 }, Ops.MatMul(a, b, transA: true).Data);
        Assert.Equal(new float[] { 17, 23, 39, 53 }, Ops.MatMul(a, b, transB: true).Data);
    }

    [Fact]
    public void MatMul_InnerMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 2)));
        Assert.Contains("K=3", ex.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatMul_2D_Backward_MatchesFiniteDifferences(bool ta, bool tb)
    {
        var a = T.Param(1, ta ? [4, 3] : [3, 4]);
        var b = T.Param(2, tb ? [5, 4] : [4, 5]);
        GradCheck.Assert(x => Ops.MatMul(x[0], x[1], ta, tb), [a, b]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void MatMul_Batched_Backward_MatchesFiniteDifferences(bool ta, bool tb)
    {
        var a = T.Param(3, ta ? [2, 2, 4, 3] : [2, 2, 3, 4]);
        var b = T.Param(4, tb ? [2, 2, 5, 4] : [2, 2, 4, 5]);
        GradCheck.Assert(x => Ops.MatMul(x[0], x[1], ta, tb), [a, b]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatMul_Broadcast2DB_Backward_MatchesFiniteDifferences(bool transA)
    {
        // b (K, N) shared over a's batch: its gradient sums over the batch.
        var a = T.Param(5, transA ? [2, 3, 4, 3] : [2, 3, 3, 4]);
        GradCheck.Assert(x => Ops.MatMul(x[0], x[1], transA), [a, T.Param(6, 4, 2)]);
        GradCheck.Assert(x => Ops.MatMul(x[0], x[1], transA, true), [a, T.Param(7, 2, 4)]);
    }

    [Fact]
    public void MatMul_BroadcastBatchAxes_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Ops.MatMul(x[0], x[1]), [T.Param(8, 2, 1, 3, 4), T.Param(9, 1, 3, 4, 2)]);

    [Fact]
    public void MatMul_SameTensorBothOperands_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(x => Ops.MatMul(x[0], x[0]), [T.Param(14, 3, 3)]);
        GradCheck.Assert(x => Ops.MatMul(x[0], x[0], transB: true), [T.Param(15, 2, 3, 4)]);
    }

    [Fact]
    public void MatMul_Batched_MatchesPerBatchNaive()
    {
        var a = Tensor.Randn(new Rng(10), 1f, 3, 5, 7);
        var b = Tensor.Randn(new Rng(11), 1f, 3, 7, 6);
        var y = Ops.MatMul(a, b);
        var expected = new float[3 * 5 * 6];
        for (var i = 0; i < 3; i++)
            Gemm.Naive(false, false, 5, 6, 7, 1f, a.Data.AsSpan(i * 35), 7, b.Data.AsSpan(i * 42), 6, 0f, expected.AsSpan(i * 30), 6);
        T.Close(expected, y.Data, 1e-5);
    }

    [Fact]
    public void Linear_HandComputed()
    {
        // W = [[1, 0, 2], [0, 1, 1]] (out 2, in 3), b = [10, 20], x = [1, 2, 3] → [1 + 6 + 10, 2 + 3 + 20]
        var y = Ops.Linear(new Tensor([1f, 2f, 3f], 1, 3), new Tensor([1f, 0f, 2f, 0f, 1f, 1f], 2, 3), new Tensor([10f, 20f], 2));
        Assert.Equal(new float[] { 17, 25 }, y.Data);
    }

    [Fact]
    public void Linear_Backward_MatchesFiniteDifferences()
    {
        GradCheck.Assert(x => Ops.Linear(x[0], x[1], x[2]), [T.Param(1, 2, 3, 4), T.Param(2, 5, 4), T.Param(3, 5)]);
        GradCheck.Assert(x => Ops.Linear(x[0], x[1], null), [T.Param(4, 3, 4), T.Param(5, 2, 4)]);
    }

    [Fact]
    public void Linear_WrongInputWidth_NamesTheWeight()
    {
        var w = new Tensor(new float[6], 2, 3) { Name = "encoder.layer.0.attention.self.query.weight" };
        var ex = Assert.Throws<ArgumentException>(() => Ops.Linear(Tensor.Zeros(4, 5), w, null));
        Assert.Contains("encoder.layer.0.attention.self.query.weight", ex.Message);
    }

    [Fact]
    public void MatMul_ManagedPath_GivesSameResultAsCurrentPath()
    {
        var a = Tensor.Randn(new Rng(12), 1f, 2, 40, 33);
        var b = Tensor.Randn(new Rng(13), 1f, 33, 50);
        var expected = Ops.MatMul(a, b).Data;
        var actual = new float[expected.Length];
        ManagedGemm.Sgemm(false, false, 80, 50, 33, 1f, a.Data, 33, b.Data, 50, 0f, actual, 50, 2);
        T.Close(expected, actual, 1e-5);
    }
}
