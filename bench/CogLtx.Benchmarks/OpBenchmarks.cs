using BenchmarkDotNet.Attributes;
using CogLtx.Tensors;

namespace CogLtx.Benchmarks;

/// <summary>
/// BERT-base-sized kernels, forward + backward: B = 1, T = 512, C = 768, NH = 12, HS = 64, intermediate 3072.
/// </summary>
[MemoryDiagnoser]
public class OpBenchmarks
{
    private const int T = 512, C = 768, NH = 12, HS = 64, I = 3072;
    private Tensor x = null!, wQkv = null!, bQkv = null!, ln = null!, lnBias = null!, inter = null!, q = null!, k = null!, v = null!, mask = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        x = Param(Tensor.Randn(rng, 1f, 1, T, C));
        wQkv = Param(Tensor.Randn(rng, 0.02f, C, C));
        bQkv = Param(Tensor.Randn(rng, 0.02f, C));
        ln = Param(Tensor.Ones(C));
        lnBias = Param(Tensor.Zeros(C));
        inter = Param(Tensor.Randn(rng, 1f, 1, T, I));
        q = Param(Tensor.Randn(rng, 1f, 1, NH, T, HS));
        k = Param(Tensor.Randn(rng, 1f, 1, NH, T, HS));
        v = Param(Tensor.Randn(rng, 1f, 1, NH, T, HS));
        var m = Enumerable.Repeat(1f, T).ToArray();
        for (var i = 400; i < T; i++) m[i] = 0;
        mask = Ops.AdditiveMask(m, 1, T);
    }

    private static Tensor Param(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    private static void Step(Tensor y)
    {
        y.Backward(new float[y.Size]);
    }

    [Benchmark]
    public void Linear768() => Step(Ops.Linear(x, wQkv, bQkv));

    [Benchmark]
    public void Attention512() => Step(Ops.ScaledDotProductAttention(q, k, v, mask, 0.125f));

    [Benchmark]
    public void Attention512Dropout() => Step(Ops.ScaledDotProductAttention(q, k, v, mask, 0.125f, 0.1f, new Rng(2)));

    [Benchmark]
    public void LayerNorm768() => Step(Ops.LayerNorm(x, ln, lnBias, 1e-12f));

    [Benchmark]
    public void Gelu3072() => Step(Ops.Gelu(inter));

    [Benchmark]
    public void Softmax3072() => Step(Ops.Softmax(inter));

    [Benchmark]
    public void Permute768() => Step(Ops.Permute(Ops.Reshape(x, 1, T, NH, HS), 0, 2, 1, 3));

    [Benchmark]
    public void AddResidual768() => Step(Ops.Add(x, x));
}
