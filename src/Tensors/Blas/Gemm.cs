namespace CogLtx.Tensors;

/// <summary>
/// Single-precision GEMM, row-major: C = alpha·op(A)·op(B) + beta·C with op(A) (m, k), op(B) (k, n), C (m, n).
/// Uses OpenBLAS's cblas_sgemm when a BLAS library loads (<see cref="OpenBlas"/>), else the managed blocked
/// kernel (<see cref="ManagedGemm"/>); <see cref="Naive"/> is the test oracle (style-by-example §2 rule 3).
/// HF Linear weights are (out, in), so x·Wᵀ is a call with transB and no transpose is ever materialised.
/// </summary>
/// <remarks>
/// Threads: deliberate deviation from letting OpenBLAS thread itself. Its pthread pool busy-waits next to the
/// .NET thread pool that runs our parallel kernels, and on 2 cores the two pools fight (the torch peer measured
/// element-wise ops slowing to 5–7 ms for this reason; shared/tools/torch-peer/README.md). So OpenBLAS is
/// pinned to one thread and <see cref="Split"/> runs one single-threaded call per thread on disjoint blocks of
/// C, for both paths: one pool, no oversubscription, and parallel kernels may call GEMM freely.
/// </remarks>
public static unsafe class Gemm
{
    static Gemm()
    {
        if (OpenBlas.IsAvailable) OpenBlas.SetThreads(1);
    }

    // Below this many multiply-adds (≈ 20 µs of one core) a parallel split costs more than it saves.
    private const long SplitThreshold = 1L << 21;

    /// <summary>True when OpenBLAS (cblas_sgemm and openblas_set_num_threads) was loaded.</summary>
    public static bool OpenBlasAvailable => OpenBlas.IsAvailable;

    /// <summary>"openblas (libopenblas.so.0, SkylakeX)" or "managed": the path GEMM takes under <see cref="ComputeOptions.Current"/>.</summary>
    public static string Backend => ComputeOptions.Current.Backend;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions (cblas_sgemm), under
    /// <see cref="ComputeOptions.Current"/>. When beta is 0, C's previous contents are ignored (NaN included), as BLAS does.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm(ComputeOptions.Current, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C as <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>,
    /// on the path and thread count <paramref name="options"/> ask for.
    /// </summary>
    public static void Sgemm(ComputeOptions options, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Split(options.UsesOpenBlas, options.Threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Contiguous operands (lda, ldb, ldc are the row lengths): C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float alpha, float beta) =>
        Sgemm(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);

    /// <summary>One-thread call, for kernels that already run in parallel (attention over heads).</summary>
    internal static void SgemmSerial(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Split(ComputeOptions.Current.UsesOpenBlas, 1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// Runs the product as up to <paramref name="threads"/> single-threaded calls on disjoint blocks of C:
    /// column blocks when C is at least as wide as tall (each thread packs only its share of B), else row blocks.
    /// Blocks are multiples of the managed kernel's tile so only the last has a ragged edge.
    /// </summary>
    internal static void Split(bool native, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var splitColumns = n >= m;
            var unit = splitColumns ? ManagedGemm.NR : ManagedGemm.MR;
            var extent = splitColumns ? n : m;
            var tasks = (long)m * n * Math.Max(k, 1) < SplitThreshold ? 1 : Math.Min(Math.Max(1, threads), (extent + unit - 1) / unit);
            if (tasks <= 1)
            {
                Block(native, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }
            var per = ((extent + tasks - 1) / tasks + unit - 1) / unit * unit;
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, t =>
            {
                var start = t * per;
                var len = Math.Min(per, extent - start);
                if (len <= 0) return;
                float* a0 = (float*)ia, b0 = (float*)ib, c0 = (float*)ic;
                if (splitColumns)
                    Block(native, transA, transB, m, len, k, alpha, a0, lda, b0 + (transB ? (nint)start * ldb : start), ldb, beta, c0 + start, ldc);
                else
                    Block(native, transA, transB, len, n, k, alpha, a0 + (transA ? start : (nint)start * lda), lda, b0, ldb, beta, c0 + (nint)start * ldc, ldc);
            });
        }
    }

    private static void Block(bool native, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (native) OpenBlas.Block(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else ManagedGemm.Block(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The textbook triple loop (double accumulator): the oracle the fast paths are tested against.</summary>
    public static void Naive(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                    sum += (double)a[transA ? p * lda + i : i * lda + p] * b[transB ? j * ldb + p : p * ldb + j];
                var prior = beta == 0 ? 0 : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum + prior);
            }
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"sgemm dimensions must be non-negative, got m={m}, n={n}, k={k}");
        CheckOperand("A", transA ? k : m, transA ? m : k, aLength, lda);
        CheckOperand("B", transB ? n : k, transB ? k : n, bLength, ldb);
        CheckOperand("C", m, n, cLength, ldc);
    }

    private static void CheckOperand(string name, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"sgemm: ld{name.ToLowerInvariant()}={ld} is less than the {cols} columns of {name}");
        if (rows == 0 || cols == 0) return;
        var needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"sgemm: {name} ({rows}×{cols}, ld {ld}) needs {needed} elements, span has {length}");
    }
}
