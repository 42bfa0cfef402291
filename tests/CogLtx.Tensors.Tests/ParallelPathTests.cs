using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

[CollectionDefinition(nameof(ThreadCountCollection), DisableParallelization = true)]
public sealed class ThreadCountCollection;

/// <summary>
/// The grad checks run on tiny shapes, below every parallel threshold. These run shapes large enough to take
/// the split paths (GEMM blocks, row-parallel kernels, chunked element-wise loops, heads in parallel) and
/// require the same values and gradients as one thread. Each run sets its thread count in a ComputeOptions scope.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class ParallelPathTests
{
    private static (float[] Out, float[][] Grads) Run(int threads, Func<Tensor[], Tensor> f, Func<Tensor[]> make)
    {
        using var scope = ComputeOptions.Use(ComputeOptions.Default with { Threads = threads });
        var inputs = make();
        var y = f(inputs);
        y.Backward(Tensor.Randn(new Rng(99), 1f, y.Shape).Data);
        return (y.Data, inputs.Select(t => t.Grad ?? []).ToArray());
    }

    private static void SameOnOneAndTwoThreads(Func<Tensor[], Tensor> f, Func<Tensor[]> make, double tol = 1e-5)
    {
        var one = Run(1, f, make);
        var two = Run(2, f, make);
        T.Close(one.Out, two.Out, tol, "output");
        for (var i = 0; i < one.Grads.Length; i++) T.Close(one.Grads[i], two.Grads[i], tol, $"grad {i}");
    }

    [Fact]
    public void Linear_SplitGemm_MatchesOneThread() =>
        SameOnOneAndTwoThreads(x => Ops.Linear(x[0], x[1], x[2]), () => [T.Param(1, 512, 256), T.Param(2, 0.05f, 320, 256), T.Param(3, 320)]);

    [Fact]
    public void LayerNorm_RowParallel_MatchesOneThread() =>
        SameOnOneAndTwoThreads(x => Ops.LayerNorm(x[0], x[1], x[2], 1e-5f), () => [T.Param(4, 2048, 64), T.Param(5, 64), T.Param(6, 64)], 1e-4);

    [Fact]
    public void Softmax_And_Gelu_Chunked_MatchOneThread()
    {
        SameOnOneAndTwoThreads(x => Ops.Softmax(x[0]), () => [T.Param(7, 512, 256)]);
        SameOnOneAndTwoThreads(x => Ops.Gelu(x[0]), () => [T.Param(8, 300, 1000)]);
        SameOnOneAndTwoThreads(x => Ops.Mul(x[0], x[1]), () => [T.Param(9, 300, 1000), T.Param(10, 300, 1000)]);
        SameOnOneAndTwoThreads(x => Ops.Add(x[0], x[1]), () => [T.Param(11, 300, 1000), T.Param(12, 1000)]);
    }

    [Fact]
    public void Attention_HeadsInParallel_MatchesOneThread()
    {
        var mask = Ops.AdditiveMask(Enumerable.Range(0, 2 * 64).Select(i => i % 64 < 50 ? 1f : 0f).ToArray(), 2, 64);
        SameOnOneAndTwoThreads(x => Ops.ScaledDotProductAttention(x[0], x[1], x[2], mask, 0.125f, 0.1f, new Rng(5)),
            () => [T.Param(13, 2, 4, 64, 32), T.Param(14, 2, 4, 64, 32), T.Param(15, 2, 4, 64, 32)]);
    }
}
