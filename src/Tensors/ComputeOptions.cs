namespace CogLtx.Tensors;

/// <summary>
/// How the engine computes: the thread count of GEMM and the parallel kernels, and whether GEMM takes the managed
/// kernel even when OpenBLAS is loaded. Immutable; <see cref="Default"/> is read once from the environment
/// (COGLTX_THREADS, COGLTX_GEMM=managed). A caller that needs other settings passes them to
/// <see cref="Gemm.Sgemm(ComputeOptions, bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// or, for whole tensor programs (forward and backward), runs them inside <see cref="Use"/>: the scope follows its
/// own async flow and the parallel loops it starts, so two callers in one process never see each other's settings.
/// </summary>
public sealed record ComputeOptions
{
    private static readonly AsyncLocal<ComputeOptions?> Ambient = new();

    /// <summary>The settings taken from the environment at startup: COGLTX_THREADS (else the processor count) and COGLTX_GEMM.</summary>
    public static ComputeOptions Default { get; } = FromEnvironment(
        Environment.GetEnvironmentVariable("COGLTX_THREADS"), Environment.GetEnvironmentVariable("COGLTX_GEMM"));

    /// <summary>The settings of the innermost <see cref="Use"/> scope of this flow, else <see cref="Default"/>.</summary>
    public static ComputeOptions Current => Ambient.Value ?? Default;

    /// <summary>Threads used by GEMM and by the parallel kernels (attention, big element-wise loops); at least 1.</summary>
    public int Threads
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), $"ComputeOptions.Threads must be at least 1, got {value}");
    } = 1;

    /// <summary>When true, GEMM takes the managed kernel even if OpenBLAS is loaded.</summary>
    public bool ForceManaged { get; init; }

    /// <summary>"openblas (libopenblas.so.0, SkylakeX)" or "managed": the GEMM path these settings take.</summary>
    public string Backend => UsesOpenBlas ? $"openblas ({OpenBlas.Describe()})" : "managed";

    internal bool UsesOpenBlas => OpenBlas.IsAvailable && !ForceManaged;

    /// <summary>
    /// Makes <paramref name="options"/> the <see cref="Current"/> settings of this flow (and of the tasks it starts)
    /// until the returned scope is disposed, which restores the previous ones.
    /// </summary>
    public static IDisposable Use(ComputeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scope = new Scope(Ambient.Value);
        Ambient.Value = options;
        return scope;
    }

    /// <summary>Parses COGLTX_THREADS and COGLTX_GEMM values (null or blank: the processor count, OpenBLAS when loaded).</summary>
    public static ComputeOptions FromEnvironment(string? threads, string? gemm)
    {
        var n = Environment.ProcessorCount;
        if (!string.IsNullOrWhiteSpace(threads) && (!int.TryParse(threads, out n) || n < 1))
            throw new InvalidOperationException($"COGLTX_THREADS must be a positive integer, found \"{threads}\"");
        return new ComputeOptions { Threads = n, ForceManaged = string.Equals(gemm, "managed", StringComparison.OrdinalIgnoreCase) };
    }

    private sealed class Scope(ComputeOptions? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Ambient.Value = previous;
        }
    }
}
