using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

/// <summary>
/// Managed blocked GEMM (the BLIS/GotoBLAS loop nest): op(B) is packed in KC×NC panels of NR-wide slivers,
/// op(A) in MC×KC blocks of MR-tall slivers, and an MR×NR register-tile micro-kernel on Vector512 FMAs
/// accumulates a whole KC strip before touching C. Transposes are absorbed by the packing. Runs on one
/// thread; <see cref="Gemm.Split"/> hands each thread a disjoint block of C.
/// </summary>
internal static unsafe partial class ManagedGemm
{
    // MR×NR = 8×32: 16 zmm accumulators + 2 B vectors + 1 A broadcast fit the 32 AVX-512 registers.
    internal const int MR = 8;
    internal const int NR = 32;
    // KC·NR·4 B = 32 KiB: the B sliver stays in L1 (48 KiB) while the A slivers stream from L2.
    private const int KC = 256;
    // MC·KC·4 B = 128 KiB of packed A in L2 (2 MiB per core).
    private const int MC = 128;
    // KC·NC·4 B = 4 MiB of packed B in L3.
    private const int NC = 4096;
    /// <summary>Managed path for the whole product, split over <paramref name="threads"/> by <see cref="Gemm"/>'s driver.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int threads) =>
        Gemm.Split(native: false, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>One thread's block of C: C = alpha·op(A)·op(B) + beta·C on raw pointers.</summary>
    public static void Block(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (beta != 1)
            for (var i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (nint)i * ldc, n);
                if (beta == 0) row.Clear();
                else TensorPrimitives.Multiply(row, beta, row);
            }
        if (k == 0 || alpha == 0) return;
        if (Vector512.IsHardwareAccelerated) Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
        else RowKernel(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    }

    /// <summary>One thread's share: the five-loop nest over packed panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        var kcMax = Math.Min(KC, k);
        var ncMax = Math.Min(NC, RoundUp(n, NR));
        var mcMax = Math.Min(MC, RoundUp(m, MR));
        var bufB = ArrayPool<float>.Shared.Rent(kcMax * ncMax + 16);
        var bufA = ArrayPool<float>.Shared.Rent(kcMax * mcMax + 16);
        try
        {
            fixed (float* rawB = bufB)
            fixed (float* rawA = bufA)
            {
                var packB = Align64(rawB);
                var packA = Align64(rawA);
                var tile = stackalloc float[MR * NR];
                for (var jc = 0; jc < n; jc += NC)
                {
                    var nc = Math.Min(NC, n - jc);
                    for (var pc = 0; pc < k; pc += KC)
                    {
                        var kc = Math.Min(KC, k - pc);
                        PackB(transB, b, ldb, pc, jc, kc, nc, packB);
                        for (var ic = 0; ic < m; ic += MC)
                        {
                            var mc = Math.Min(MC, m - ic);
                            PackA(transA, a, lda, ic, pc, mc, kc, packA);
                            for (var jr = 0; jr < nc; jr += NR)
                            {
                                var nr = Math.Min(NR, nc - jr);
                                var sliverB = packB + (nint)jr * kc;
                                for (var ir = 0; ir < mc; ir += MR)
                                {
                                    var mr = Math.Min(MR, mc - ir);
                                    var cTile = c + (nint)(ic + ir) * ldc + jc + jr;
                                    MicroKernel(kc, packA + (nint)ir * kc, sliverB, cTile, ldc, alpha, mr, nr, tile);
                                    if (mr < MR || nr < NR) AddPartial(tile, cTile, ldc, mr, nr);
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bufA);
            ArrayPool<float>.Shared.Return(bufB);
        }
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    private static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>op(B)[pc.., jc..] (kc×nc) → NR-wide slivers, each kc rows of NR contiguous floats, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* dst)
    {
        for (var jr = 0; jr < nc; jr += NR)
        {
            var nr = Math.Min(NR, nc - jr);
            var sliver = dst + (nint)jr * kc;
            if (!transB)
            {
                // B (k, n): row p of the sliver is contiguous in B.
                var src = b + (nint)pc * ldb + jc + jr;
                if (nr == NR)
                    for (var p = 0; p < kc; p++)
                    {
                        Vector512.Store(Vector512.Load(src), sliver);
                        Vector512.Store(Vector512.Load(src + 16), sliver + 16);
                        src += ldb;
                        sliver += NR;
                    }
                else
                    for (var p = 0; p < kc; p++)
                    {
                        for (var j = 0; j < nr; j++) sliver[j] = src[j];
                        for (var j = nr; j < NR; j++) sliver[j] = 0;
                        src += ldb;
                        sliver += NR;
                    }
            }
            else
            {
                // B stored (n, k): column j of op(B) is row j of B, contiguous along p.
                for (var j = 0; j < nr; j++)
                {
                    var src = b + (nint)(jc + jr + j) * ldb + pc;
                    for (var p = 0; p < kc; p++) sliver[p * NR + j] = src[p];
                }
                for (var j = nr; j < NR; j++)
                    for (var p = 0; p < kc; p++) sliver[p * NR + j] = 0;
            }
        }
    }

    /// <summary>op(A)[ic.., pc..] (mc×kc) → MR-tall slivers, each kc columns of MR contiguous floats, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        for (var ir = 0; ir < mc; ir += MR)
        {
            var mr = Math.Min(MR, mc - ir);
            var sliver = dst + (nint)ir * kc;
            if (!transA)
            {
                // A (m, k): row i of A is contiguous along p.
                for (var i = 0; i < mr; i++)
                {
                    var src = a + (nint)(ic + ir + i) * lda + pc;
                    for (var p = 0; p < kc; p++) sliver[p * MR + i] = src[p];
                }
                for (var i = mr; i < MR; i++)
                    for (var p = 0; p < kc; p++) sliver[p * MR + i] = 0;
            }
            else
            {
                // A stored (k, m): the MR values of column p are contiguous.
                var src = a + (nint)pc * lda + ic + ir;
                for (var p = 0; p < kc; p++)
                {
                    for (var i = 0; i < mr; i++) sliver[i] = src[i];
                    for (var i = mr; i < MR; i++) sliver[i] = 0;
                    src += lda;
                    sliver += MR;
                }
            }
        }
    }

    /// <summary>Fallback without AVX-512: C[i, :] += alpha·op(A)[i, p]·op(B)[p, :] row by row on TensorPrimitives.</summary>
    private static void RowKernel(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        var bRow = transB ? new float[n] : null;
        for (var p = 0; p < k; p++)
        {
            ReadOnlySpan<float> row;
            if (transB)
            {
                for (var j = 0; j < n; j++) bRow![j] = b[(nint)j * ldb + p];
                row = bRow;
            }
            else row = new ReadOnlySpan<float>(b + (nint)p * ldb, n);
            for (var i = 0; i < m; i++)
            {
                var aip = alpha * a[transA ? (nint)p * lda + i : (nint)i * lda + p];
                var cRow = new Span<float>(c + (nint)i * ldc, n);
                TensorPrimitives.MultiplyAdd(row, aip, cRow, cRow);
            }
        }
    }
}
