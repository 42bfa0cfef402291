using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

internal static unsafe partial class ManagedGemm
{
    /// <summary>
    /// C[0..mr, 0..nr] += alpha · Σ_p a[p, 0..MR]ᵀ · b[p, 0..NR] over one packed strip: 8 rows × 2 vectors of
    /// 16 accumulators held in registers for the whole strip (written out explicitly so the JIT keeps them there).
    /// A full tile is added to C here; a ragged one is stored, scaled, to <paramref name="tile"/> (MR×NR) for
    /// <see cref="AddPartial"/>. (No stackalloc here: with it the JIT gave the accumulators stack homes and
    /// stored them every iteration when tiered compilation was off.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel(int kc, float* a, float* b, float* c, int ldc, float alpha, int mr, int nr, float* tile)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += MR;
            b += NR;
        }
        var va = Vector512.Create(alpha);
        if (mr == MR && nr == NR)
        {
            AddRow(c + (nint)0 * ldc, c00, c01, va);
            AddRow(c + (nint)1 * ldc, c10, c11, va);
            AddRow(c + (nint)2 * ldc, c20, c21, va);
            AddRow(c + (nint)3 * ldc, c30, c31, va);
            AddRow(c + (nint)4 * ldc, c40, c41, va);
            AddRow(c + (nint)5 * ldc, c50, c51, va);
            AddRow(c + (nint)6 * ldc, c60, c61, va);
            AddRow(c + (nint)7 * ldc, c70, c71, va);
            return;
        }
        // Ragged edge: the scaled tile goes to the caller's scratch; AddPartial adds its mr×nr corner to C.
        Vector512.Store(c00 * va, tile + 0); Vector512.Store(c01 * va, tile + 16);
        Vector512.Store(c10 * va, tile + 32); Vector512.Store(c11 * va, tile + 48);
        Vector512.Store(c20 * va, tile + 64); Vector512.Store(c21 * va, tile + 80);
        Vector512.Store(c30 * va, tile + 96); Vector512.Store(c31 * va, tile + 112);
        Vector512.Store(c40 * va, tile + 128); Vector512.Store(c41 * va, tile + 144);
        Vector512.Store(c50 * va, tile + 160); Vector512.Store(c51 * va, tile + 176);
        Vector512.Store(c60 * va, tile + 192); Vector512.Store(c61 * va, tile + 208);
        Vector512.Store(c70 * va, tile + 224); Vector512.Store(c71 * va, tile + 240);
    }

    /// <summary>C[0..mr, 0..nr] += tile[0..mr, 0..nr] (row stride NR).</summary>
    private static void AddPartial(float* tile, float* c, int ldc, int mr, int nr)
    {
        for (var i = 0; i < mr; i++)
        {
            var row = c + (nint)i * ldc;
            for (var j = 0; j < nr; j++) row[j] += tile[i * NR + j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* c, Vector512<float> lo, Vector512<float> hi, Vector512<float> alpha)
    {
        Vector512.Store(Vector512.FusedMultiplyAdd(lo, alpha, Vector512.Load(c)), c);
        Vector512.Store(Vector512.FusedMultiplyAdd(hi, alpha, Vector512.Load(c + 16)), c + 16);
    }
}
