using System.Collections.Concurrent;
using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

/// <summary>
/// ComputeOptions reach the kernels: the GEMM path asked for is the one taken (bit for bit), parallel loops split over the threads asked for, whether passed
/// explicitly or scoped with Use, and two flows with different settings running at once do not see each other's.
/// </summary>
public sealed class ComputeOptionsTests
{
    // Big enough (129³ multiply-adds > the split threshold) that two threads split C, and k long enough that the
    // managed kernel and OpenBLAS round some element differently.
    private const int M = 129, N = 131, K = 257;

    private static readonly ComputeOptions Managed1 = new() { Threads = 1, ForceManaged = true };
    private static readonly ComputeOptions Native1 = new() { Threads = 1, ForceManaged = false };
    private static readonly ComputeOptions Native2 = Native1 with { Threads = 2 };

    [Fact]
    public void ExplicitOptions_ChooseTheKernel_BitForBit()
    {
        var (a, b) = Operands();
        Assert.Equal(Reference(a, b, managed: true), Product(Managed1, a, b));
        Assert.Equal("managed", Managed1.Backend);
        if (!Gemm.OpenBlasAvailable) return;   // no second path to tell apart; CI installs libopenblas0-pthread
        Assert.Equal(Reference(a, b, managed: false), Product(Native1, a, b));
        Assert.StartsWith("openblas", Native2.Backend);
        Assert.NotEqual(Product(Managed1, a, b), Product(Native1, a, b));
    }

    [Fact]
    public void ExplicitOptions_OverrideTheScope()
    {
        var (a, b) = Operands();
        using (ComputeOptions.Use(Native2))
        {
            Assert.Equal(Reference(a, b, managed: true), Product(Managed1, a, b));
            Assert.Same(Native2, ComputeOptions.Current);
        }
        using (ComputeOptions.Use(Managed1))
            if (Gemm.OpenBlasAvailable) Assert.Equal(Reference(a, b, managed: false), Product(Native1, a, b));
        Assert.Same(ComputeOptions.Default, ComputeOptions.Current);
    }

    [Fact]
    public void Scope_SetsTheKernelOfImplicitCalls_AndIsRestoredOnDispose()
    {
        var (a, b) = Operands();
        using (ComputeOptions.Use(Managed1))
        {
            Assert.Equal("managed", Gemm.Backend);
            Assert.Equal(Reference(a, b, managed: true), Product(null, a, b));
        }
        Assert.Same(ComputeOptions.Default, ComputeOptions.Current);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ParallelLoops_UseTheScopesThreads(int threads)
    {
        using (ComputeOptions.Use(new ComputeOptions { Threads = threads }))
            Assert.Equal(threads, Chunks());
    }

    [Fact]
    public async Task ConcurrentFlows_WithDifferentOptions_DoNotInterfere()
    {
        var (a, b) = Operands();
        // Each flow's expected product is its options' explicit call, taken beforehand; the two differ where OpenBLAS loads.
        var native3 = Native1 with { Threads = 3 };
        var managed = Product(Managed1, a, b);
        var native = Product(native3, a, b);
        if (Gemm.OpenBlasAvailable) Assert.NotEqual(managed, native);
        using var both = new Barrier(2);
        var failures = new ConcurrentQueue<string>();
        void Flow(ComputeOptions options, int chunks, float[] expected)
        {
            using var scope = ComputeOptions.Use(options);
            for (var round = 0; round < 20; round++)
            {
                both.SignalAndWait();
                if (!ReferenceEquals(ComputeOptions.Current, options)) failures.Enqueue($"round {round}: Current is {ComputeOptions.Current}, expected {options}");
                if (Chunks() != chunks) failures.Enqueue($"round {round}: {options} ran {Chunks()} chunks, expected {chunks}");
                if (!Product(null, a, b).SequenceEqual(expected)) failures.Enqueue($"round {round}: {options} took the other GEMM path");
            }
        }
        var first = Task.Factory.StartNew(() => Flow(Managed1, 1, managed), TaskCreationOptions.LongRunning);
        var second = Task.Factory.StartNew(() => Flow(native3, 3, native), TaskCreationOptions.LongRunning);
        await Task.WhenAll(first, second);
        Assert.Empty(failures);
    }

    [Fact]
    public void FromEnvironment_ParsesThreadsAndGemm()
    {
        Assert.Equal(new ComputeOptions { Threads = 3, ForceManaged = true }, ComputeOptions.FromEnvironment("3", "MANAGED"));
        Assert.Equal(new ComputeOptions { Threads = Environment.ProcessorCount }, ComputeOptions.FromEnvironment(" ", null));
        var e = Assert.Throws<InvalidOperationException>(() => ComputeOptions.FromEnvironment("0", null));
        Assert.Contains("COGLTX_THREADS must be a positive integer, found \"0\"", e.Message);
        var t = Assert.Throws<ArgumentOutOfRangeException>(() => Managed1 with { Threads = 0 });
        Assert.Contains("at least 1, got 0", t.Message);
    }

    private static int Chunks()
    {
        var chunks = 0;
        Parallelism.For(8, Parallelism.MinParallelWork, (_, _) => Interlocked.Increment(ref chunks));
        return chunks;
    }

    private static (float[] A, float[] B) Operands()
    {
        var rng = new Rng(7);
        return (Tensor.Randn(rng, 1f, M * K).Data, Tensor.Randn(rng, 1f, K * N).Data);
    }

    private static float[] Product(ComputeOptions? options, float[] a, float[] b)
    {
        var c = new float[M * N];
        if (options is null) Gemm.Sgemm(false, false, M, N, K, 1f, a, K, b, N, 0f, c, N);
        else Gemm.Sgemm(options, false, false, M, N, K, 1f, a, K, b, N, 0f, c, N);
        return c;
    }

    private static float[] Reference(float[] a, float[] b, bool managed)
    {
        var c = new float[M * N];
        if (managed) ManagedGemm.Sgemm(false, false, M, N, K, 1f, a, K, b, N, 0f, c, N, 1);
        else OpenBlas.Sgemm(false, false, M, N, K, 1f, a, K, b, N, 0f, c, N);
        return c;
    }
}
