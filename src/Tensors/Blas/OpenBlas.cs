using System.Runtime.InteropServices;

namespace CogLtx.Tensors;

/// <summary>
/// OpenBLAS (or any CBLAS) loaded at run time: <c>libopenblas.so.0</c>, then <c>libblas.so.3</c>. Only
/// <c>cblas_sgemm</c> is required; <c>openblas_set_num_threads</c> is used when the library has it.
/// All native calls of the engine live here.
/// </summary>
internal static unsafe class OpenBlas
{
    // CBLAS enum values (cblas.h).
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> SgemmPtr;
    private static readonly delegate* unmanaged[Cdecl]<int, void> SetThreadsPtr;

    static OpenBlas()
    {
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "libblas.so.3" })
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
            SgemmPtr = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                SetThreadsPtr = (delegate* unmanaged[Cdecl]<int, void>)setThreads;
            LibraryName = name;
            break;
        }
    }

    /// <summary>The library that was loaded, or null when none provides cblas_sgemm.</summary>
    public static string? LibraryName { get; }

    public static bool IsAvailable => SgemmPtr != null;

    public static void SetThreads(int threads)
    {
        if (SetThreadsPtr != null) SetThreadsPtr(threads);
    }

    /// <summary>Row-major cblas_sgemm on spans; the caller has checked the extents.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (SgemmPtr == null) throw new InvalidOperationException("no BLAS library with cblas_sgemm was loaded");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            SgemmPtr(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
