using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class GemmTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 7, 7, 7 }, { 63, 63, 63 }, { 65, 65, 65 }, { 1, 65, 7 }, { 63, 1, 65 },
        { 513, 7, 65 }, { 7, 513, 65 }, { 65, 7, 513 }, { 33, 40, 300 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Managed_MatchesNaive_InEveryTransposeCombination(int m, int n, int k)
    {
        foreach (var (ta, tb) in Combos)
            foreach (var threads in new[] { 1, 2 })
                Compare((tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc) =>
                    ManagedGemm.Sgemm(tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc, threads), ta, tb, m, n, k);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void OpenBlas_MatchesNaive_InEveryTransposeCombination(int m, int n, int k)
    {
        if (!OpenBlas.IsAvailable) return;   // covered by the managed test; CI installs libopenblas0-pthread
        foreach (var (ta, tb) in Combos)
            Compare(OpenBlas.Sgemm, ta, tb, m, n, k);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Split_OverThreads_MatchesNaive(bool native)
    {
        if (native && !OpenBlas.IsAvailable) return;
        // Above the split threshold: the tall shape splits rows, the wide one columns, across two threads.
        foreach (var (ta, tb) in Combos)
        {
            Compare((tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc) => Gemm.Split(native, 2, tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc), ta, tb, 300, 70, 130);
            Compare((tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc) => Gemm.Split(native, 2, tA, tB, mm, nn, kk, al, a, lda, b, ldb, be, c, ldc), ta, tb, 70, 300, 130);
        }
    }

    [Fact]
    public void Sgemm_RespectsLeadingDimensionsAndBeta()
    {
        // A 2×3 inside rows of 5, B 3×2 inside rows of 4, C 2×2 inside rows of 3; C = 2·A·B + 0.5·C.
        float[] a = [1, 2, 3, 9, 9, 4, 5, 6, 9, 9];
        float[] b = [1, 0, 9, 9, 0, 1, 9, 9, 1, 1, 9, 9];
        float[] c = [10, 20, 99, 30, 40, 99];
        Gemm.Sgemm(false, false, 2, 2, 3, 2f, a, 5, b, 4, 0.5f, c, 3);
        // A·B = [[1+3, 2+3], [4+6, 5+6]] = [[4, 5], [10, 11]]
        Assert.Equal(new float[] { 13, 20, 99, 35, 42, 99 }, c);
    }

    [Fact]
    public void Sgemm_BetaZero_IgnoresNaNInC()
    {
        float[] c = [float.NaN];
        ManagedGemm.Sgemm(false, false, 1, 1, 1, 1f, [2f], 1, [3f], 1, 0f, c, 1, 1);
        Assert.Equal(6f, c[0]);
    }

    [Fact]
    public void Sgemm_TooShortOperand_NamesIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Contains("A (2×2, ld 2) needs 4 elements, span has 3", ex.Message);
    }

    [Fact]
    public void OpenBlas_IsLoaded_WhereInstalled()
    {
        // CI installs libopenblas0-pthread: a silent fallback to the managed kernel would hide a loader bug.
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0")) return;
        Assert.True(Gemm.OpenBlasAvailable, "libopenblas.so.0 is installed but was not loaded");
        Assert.StartsWith("libopenblas", OpenBlas.LibraryName);
    }

    private static readonly (bool, bool)[] Combos = [(false, false), (false, true), (true, false), (true, true)];

    private delegate void SgemmFn(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);

    private static void Compare(SgemmFn fn, bool ta, bool tb, int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 1000003 + n * 1009 + k));
        // Padded leading dimensions (+3) so strides are exercised too.
        var (lda, ldb, ldc) = ((ta ? m : k) + 3, (tb ? k : n) + 3, n + 3);
        var a = Tensor.Randn(rng, 1f, (ta ? k : m) * lda).Data;
        var b = Tensor.Randn(rng, 1f, (tb ? n : k) * ldb).Data;
        var c0 = Tensor.Randn(rng, 1f, m * ldc).Data;
        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        Gemm.Naive(ta, tb, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, expected, ldc);
        fn(ta, tb, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, actual, ldc);
        var tol = 1e-5 * Math.Sqrt(k) * 4;
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"m={m} n={n} k={k} transA={ta} transB={tb}: C[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
