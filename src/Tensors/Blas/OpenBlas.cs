using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace CogLtx.Tensors;

/// <summary>
/// OpenBLAS loaded at run time: <c>libopenblas.so.0</c>, then <c>libblas.so.3</c>, whose <c>cblas_sgemm</c>
/// is called through a function pointer. All native calls of the engine live here.
/// </summary>
/// <remarks>
/// Deliberate deviation from taking any CBLAS: a library must also export <c>openblas_set_num_threads</c>.
/// Debian's libblas.so.3 is an alternatives link that is OpenBLAS when OpenBLAS is installed but otherwise the
/// netlib reference BLAS, about 29 GFLOP/s on this machine (shared/tools/torch-peer/README.md) against the
/// managed kernel's ~150 per core; and we must be able to pin the library to one thread (see <see cref="Gemm"/>).
/// </remarks>
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
        SelectCoreType();
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "libblas.so.3" })
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)
                || !NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
            {
                NativeLibrary.Free(handle);
                continue;
            }
            SgemmPtr = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            SetThreadsPtr = (delegate* unmanaged[Cdecl]<int, void>)setThreads;
            LibraryName = name;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName))
                CoreName = Marshal.PtrToStringAnsi((nint)((delegate* unmanaged[Cdecl]<byte*>)coreName)());
            break;
        }
    }

    /// <summary>
    /// Chooses OpenBLAS's kernel family before the library loads. Debian's OpenBLAS 0.3.21 predates AMD
    /// family 1Ah (Zen 5), and this machine's environment pins OPENBLAS_CORETYPE=Haswell (AVX2), which runs at
    /// about half the speed of the AVX-512 "SkylakeX" kernels on this CPU (measured per core: ~100 vs ~180
    /// GFLOP/s). Deliberate deviation from inheriting that variable: COGLTX_OPENBLAS_CORETYPE decides for this
    /// process: unset or "auto" picks SKYLAKEX when the CPU has the AVX-512 subsets those kernels use (F, BW,
    /// DQ, VL) and otherwise leaves the environment alone; "inherit" keeps OPENBLAS_CORETYPE as it is; any other
    /// value is passed to OpenBLAS. The variable is set with libc's setenv because OpenBLAS reads it with
    /// getenv, which Environment.SetEnvironmentVariable does not reach on Unix.
    /// </summary>
    private static void SelectCoreType()
    {
        var choice = Environment.GetEnvironmentVariable("COGLTX_OPENBLAS_CORETYPE");
        if (string.Equals(choice, "inherit", StringComparison.OrdinalIgnoreCase)) return;
        var avx512 = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;
        var target = string.IsNullOrEmpty(choice) || string.Equals(choice, "auto", StringComparison.OrdinalIgnoreCase)
            ? (avx512 ? "SKYLAKEX" : null)
            : choice;
        if (target is null || !OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return;
        if (!NativeLibrary.TryGetExport(libc, "setenv", out var setenvPtr)) return;
        var setenv = (delegate* unmanaged[Cdecl]<byte*, byte*, int, int>)setenvPtr;
        var name = System.Text.Encoding.ASCII.GetBytes("OPENBLAS_CORETYPE\0");
        var value = System.Text.Encoding.ASCII.GetBytes(target + "\0");
        fixed (byte* pn = name)
        fixed (byte* pv = value)
            setenv(pn, pv, 1);
        Environment.SetEnvironmentVariable("OPENBLAS_CORETYPE", target);
    }

    /// <summary>The library that was loaded, or null when no OpenBLAS was found.</summary>
    public static string? LibraryName { get; }

    /// <summary>OpenBLAS's kernel family (openblas_get_corename), e.g. "SkylakeX"; null when the library does not say.</summary>
    public static string? CoreName { get; }

    public static bool IsAvailable => SgemmPtr != null;

    public static void SetThreads(int threads)
    {
        if (SetThreadsPtr != null) SetThreadsPtr(threads);
    }

    /// <summary>"(libopenblas.so.0, SkylakeX)"-style description of what was loaded, for reports.</summary>
    public static string Describe() => LibraryName is null ? "none" : CoreName is null ? LibraryName : $"{LibraryName}, {CoreName}";

    /// <summary>Row-major cblas_sgemm on spans; the caller has checked the extents.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            Block(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>cblas_sgemm on raw pointers (one block of C, on the calling thread).</summary>
    public static void Block(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (SgemmPtr == null) throw new InvalidOperationException("no BLAS library with cblas_sgemm was loaded");
        SgemmPtr(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
