using BenchmarkDotNet.Attributes;
using CogLtx.Tensors;

namespace CogLtx.Benchmarks;

/// <summary>Square sgemm (2·n³ flops) on the OpenBLAS and managed paths, with ComputeOptions.Default's threads (env COGLTX_THREADS).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];
    private ComputeOptions compute = ComputeOptions.Default;

    [Params(512, 1024, 2048)]
    public int N { get; set; }

    [Params(false, true)]
    public bool Managed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        a = Tensor.Randn(rng, 1f, N * N).Data;
        b = Tensor.Randn(rng, 1f, N * N).Data;
        c = new float[N * N];
        compute = ComputeOptions.Default with { ForceManaged = Managed };
    }

    [Benchmark]
    public void Sgemm() => Gemm.Sgemm(compute, false, false, N, N, N, 1f, a, N, b, N, 0f, c, N);
}
