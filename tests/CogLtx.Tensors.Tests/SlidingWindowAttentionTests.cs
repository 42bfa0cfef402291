using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

/// <summary>
/// Ops.SlidingWindowAttention against a dense float64 oracle written from the HF Longformer semantics as sets
/// (fixtures README, "Longformer" steps 4–6), and its gradients against central differences of that oracle.
/// </summary>
public sealed class SlidingWindowAttentionTests
{
    /// <summary>Inputs of one case: q, k, v, kg, vg (B, T, C), qg (B, G, C).</summary>
    private sealed record Case(int B, int T, int NH, int HS, int W, int[] Kinds, Tensor Q, Tensor K, Tensor V, Tensor Qg, Tensor Kg, Tensor Vg)
    {
        public SlidingWindowMask Mask { get; } = new(Kinds, B, T);
        public int C => NH * HS;
        public float Scale => 1f / MathF.Sqrt(HS);
        public Tensor[] All => [Q, K, V, Qg, Kg, Vg];
    }

    private static Case MakeCase(ulong seed, int batch, int length, int heads, int headSize, int window, int[] kinds)
    {
        var rng = new Rng(seed);
        int c = heads * headSize, g = new SlidingWindowMask(kinds, batch, length).MaxGlobal;
        Tensor R(params int[] shape)
        {
            var t = Tensor.Randn(rng, 1f, shape);
            t.RequiresGrad = true;
            return t;
        }
        return new Case(batch, length, heads, headSize, window, kinds,
            R(batch, length, c), R(batch, length, c), R(batch, length, c), R(batch, g, c), R(batch, length, c), R(batch, length, c));
    }

    /// <summary>Row 0: global at 0 and 5, no padding. Row 1: global at 1, 2 and 3, padding at the last three positions.</summary>
    private static int[] MixedKinds(int length)
    {
        var kinds = new int[2 * length];
        for (var t = 0; t < length; t++)
        {
            kinds[t] = t is 0 or 5 ? 2 : 1;
            kinds[length + t] = t >= length - 3 ? 0 : t is 1 or 2 or 3 ? 2 : 1;
        }
        return kinds;
    }

    private static Tensor Run(Case x, float dropout = 0f, Rng? rng = null) => x.Mask.MaxGlobal > 0
        ? Ops.SlidingWindowAttention(x.Q, x.K, x.V, x.Mask, x.NH, x.W, x.Scale, x.Qg, x.Kg, x.Vg, dropout, rng)
        : Ops.SlidingWindowAttention(x.Q, x.K, x.V, x.Mask, x.NH, x.W, x.Scale, dropoutP: dropout, rng: rng);

    /// <summary>
    /// The oracle, O(T²): local query i attends to {global tokens of its row} ∪ {local j : |i − j| ≤ w} with q, k, v;
    /// global token g attends to every non-padding j with qg, kg, vg; padding rows are 0.
    /// </summary>
    private static double[] Reference(Case x, IReadOnlyList<double[]> p)
    {
        double[] q = p[0], k = p[1], v = p[2], qg = p[3], kg = p[4], vg = p[5];
        int T = x.T, C = x.C, HS = x.HS, G = x.Mask.MaxGlobal;
        var output = new double[x.B * T * C];
        for (var b = 0; b < x.B; b++)
            for (var h = 0; h < x.NH; h++)
                for (var i = 0; i < T; i++)
                {
                    var kind = x.Mask.Kind(b, i);
                    if (kind == 0) continue;
                    var keys = new List<int>();
                    for (var j = 0; j < T; j++)
                    {
                        var kj = x.Mask.Kind(b, j);
                        if (kind == 2 ? kj != 0 : kj == 2 || (kj == 1 && Math.Abs(i - j) <= x.W)) keys.Add(j);
                    }
                    var slot = Enumerable.Range(0, G).FirstOrDefault(s => x.Mask.GlobalPosition(b, s) == i);
                    var scores = keys.Select(j =>
                    {
                        double sum = 0;
                        for (var d = 0; d < HS; d++)
                            sum += kind == 2
                                ? qg[(b * G + slot) * C + h * HS + d] * kg[(b * T + j) * C + h * HS + d]
                                : q[(b * T + i) * C + h * HS + d] * k[(b * T + j) * C + h * HS + d];
                        return sum * x.Scale;
                    }).ToArray();
                    var max = scores.Max();
                    var e = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var z = e.Sum();
                    for (var n = 0; n < keys.Count; n++)
                        for (var d = 0; d < HS; d++)
                            output[(b * T + i) * C + h * HS + d] += e[n] / z * (kind == 2 ? vg : v)[(b * T + keys[n]) * C + h * HS + d];
                }
        return output;
    }

    private static double[] ToDouble(Tensor t) => t.Data.Select(f => (double)f).ToArray();

    private static double MaxAbsDiff(ReadOnlySpan<float> a, IReadOnlyList<double> b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 13, 2, 3, 2 },   // T not a multiple of anything, windows overlapping the padding and the globals
        { 70, 2, 4, 3 },   // several query blocks of 32
        { 9, 1, 2, 6 },    // window wider than the sequence: band attention = full attention
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SlidingWindowAttention_Forward_MatchesDenseReference(int length, int heads, int headSize, int window)
    {
        var x = MakeCase(11, 2, length, heads, headSize, window, MixedKinds(length));
        var output = Run(x);
        var expected = Reference(x, x.All.Select(ToDouble).ToList());
        Assert.True(MaxAbsDiff(output.Data, expected) < 1e-5, $"max |diff| {MaxAbsDiff(output.Data, expected)}");
    }

    [Fact]
    public void SlidingWindowAttention_WithoutGlobalTokens_MatchesDenseReference()
    {
        var kinds = Enumerable.Repeat(1, 2 * 11).ToArray();
        kinds[20] = kinds[21] = 0;
        var x = MakeCase(12, 2, 11, 2, 3, 2, kinds);
        Assert.Equal(0, x.Mask.MaxGlobal);
        var output = Run(x);
        var expected = Reference(x, x.All.Select(ToDouble).ToList());
        Assert.True(MaxAbsDiff(output.Data, expected) < 1e-5);
    }

    /// <summary>Row 0 has no global token (all its global slots unused) while row 1 has two; row 1 is padded on the left.</summary>
    [Fact]
    public void SlidingWindowAttention_UnevenGlobalsAndLeftPadding_MatchDenseReference()
    {
        int[] kinds = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 2, 1, 1, 1, 2, 1, 1, 1];
        var x = MakeCase(13, 2, 10, 2, 3, 2, kinds);
        Assert.Equal(2, x.Mask.MaxGlobal);
        var r = Tensor.Randn(new Rng(8), 1f, x.B, x.T, x.C);
        var output = Run(x);
        Assert.True(MaxAbsDiff(output.Data, Reference(x, x.All.Select(ToDouble).ToList())) < 1e-5);
        output.Backward(r.Data);
        // Nothing flows into the unused global slots of row 0 (qg row 0) nor into the padded positions' keys and values.
        Assert.All(x.Qg.Grad!.AsSpan(0, 2 * x.C).ToArray(), g => Assert.Equal(0f, g));
        foreach (var t in new[] { x.K, x.V, x.Kg, x.Vg })
            Assert.All(t.Grad!.AsSpan(10 * x.C, 2 * x.C).ToArray(), g => Assert.Equal(0f, g));
    }

    /// <summary>
    /// Hand-worked: q = k = qg = kg = 0 makes every allowed key equally likely, so each output is the mean of the
    /// values it may see. T = 4, w = 1, kinds [global, local, local, padding], v = [1, 2, 4, 8], vg = [10, 20, 40, 80].
    /// Row 1 sees global 0 (as a leading column) and itself and 2: (1 + 2 + 4)/3. Row 2 sees global 0, 1 and itself
    /// (3 is padding): 7/3. Row 3 is padding: 0. Global row 0 sees every non-padding position in vg: 70/3.
    /// </summary>
    [Fact]
    public void SlidingWindowAttention_UniformScores_AverageTheVisibleValues()
    {
        var mask = new SlidingWindowMask([2, 1, 1, 0], 1, 4);
        var zeros = Tensor.Zeros(1, 4, 1);
        var output = Ops.SlidingWindowAttention(zeros, zeros, new Tensor([1, 2, 4, 8], 1, 4, 1), mask, 1, 1, 1f,
            Tensor.Zeros(1, 1, 1), zeros, new Tensor([10, 20, 40, 80], 1, 4, 1));
        Assert.Equal([70f / 3, 7f / 3, 7f / 3, 0f], output.Data, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    /// <summary>∂(Σ out·R)/∂input for all six inputs vs central differences of the float64 oracle (h = 1e-6).</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void SlidingWindowAttention_Backward_MatchesFiniteDifferences(int length, int heads, int headSize, int window)
    {
        var x = MakeCase(21, 2, length, heads, headSize, window, MixedKinds(length));
        var r = Tensor.Randn(new Rng(5), 1f, x.B, x.T, x.C);
        Run(x).Backward(r.Data);
        var inputs = x.All.Select(ToDouble).ToList();
        double Loss() => Reference(x, inputs).Zip(r.Data, (o, w) => o * w).Sum();
        string[] names = ["q", "k", "v", "qg", "kg", "vg"];
        for (var n = 0; n < inputs.Count; n++)
        {
            var analytic = x.All[n].Grad ?? new float[x.All[n].Size];
            // Every element on the small shapes; an even spread of about 40 per input on the long one (across its query blocks).
            var stride = inputs[n].Length <= 200 ? 1 : inputs[n].Length / 40;
            for (var e = 0; e < inputs[n].Length; e += stride)
            {
                var saved = inputs[n][e];
                inputs[n][e] = saved + 1e-6;
                var up = Loss();
                inputs[n][e] = saved - 1e-6;
                var down = Loss();
                inputs[n][e] = saved;
                var numeric = (up - down) / 2e-6;
                Assert.True(Math.Abs(analytic[e] - numeric) < 1e-4 + 1e-4 * Math.Abs(numeric),
                    $"d{names[n]}[{e}]: analytic {analytic[e]}, numeric {numeric}");
            }
        }
    }

    /// <summary>
    /// With dropout the keep decisions come from the seeded Rng: the same seed gives the same output, the backward
    /// uses the forward's decisions, checked by float32 central differences that rerun the forward with that seed.
    /// </summary>
    [Fact]
    public void SlidingWindowAttention_Dropout_IsSeededAndMatchesFiniteDifferences()
    {
        var x = MakeCase(31, 2, 13, 2, 3, 2, MixedKinds(13));
        var plain = Run(x).Data;
        var first = Run(x, 0.3f, new Rng(9)).Data;
        Assert.Equal(first, Run(x, 0.3f, new Rng(9)).Data);
        Assert.NotEqual(plain, first);

        foreach (var t in x.All) t.ZeroGrad();
        var r = Tensor.Randn(new Rng(6), 1f, x.B, x.T, x.C);
        Run(x, 0.3f, new Rng(9)).Backward(r.Data);
        double Loss()
        {
            using var _ = Autograd.NoGrad();
            return Run(x, 0.3f, new Rng(9)).Data.Zip(r.Data, (o, w) => (double)o * w).Sum();
        }
        foreach (var t in x.All)
            for (var e = 0; e < t.Size; e++)
            {
                var saved = t.Data[e];
                t.Data[e] = saved + 1e-2f;
                var up = Loss();
                t.Data[e] = saved - 1e-2f;
                var down = Loss();
                t.Data[e] = saved;
                var numeric = (up - down) / 2e-2;
                var analytic = t.Grad?[e] ?? 0f;
                Assert.True(Math.Abs(analytic - numeric) < 5e-3 + 5e-3 * Math.Abs(numeric), $"element {e}: analytic {analytic}, numeric {numeric}");
            }
    }

    [Fact]
    public void SlidingWindowMask_RejectsBadValues_NamingThePosition()
    {
        var e = Assert.Throws<ArgumentException>(() => new SlidingWindowMask([1, 1, 3, 1], 2, 2));
        Assert.Contains("row 1, position 0", e.Message);
        var f = Assert.Throws<ArgumentException>(() => SlidingWindowMask.FromMasks([1, 1], [0, 2], 1, 2));
        Assert.Contains("position 1", f.Message);
        Assert.Equal([2, 1, 0, 0], new[] { 0, 1, 2, 3 }.Select(t => SlidingWindowMask.FromMasks([1, 1, 0, 0], [1, 0, 1, 0], 1, 4).Kind(0, t)));
    }

    [Fact]
    public void SlidingWindowAttention_GlobalTokensWithoutGlobalProjections_Throws()
    {
        var mask = new SlidingWindowMask([2, 1, 1], 1, 3);
        var t = Tensor.Zeros(1, 3, 2);
        var e = Assert.Throws<ArgumentException>(() => Ops.SlidingWindowAttention(t, t, t, mask, 1, 1, 1f));
        Assert.Contains("globalQ", e.Message);
    }

    /// <summary>Gathers global rows in position order with zero-filled unused slots; gradients scatter back.</summary>
    [Fact]
    public void GatherGlobalRows_PicksGlobalPositions_AndScattersGradients()
    {
        var mask = new SlidingWindowMask([1, 2, 2, 2, 1, 1], 2, 3);
        var h = new Tensor(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 2, 3, 2) { RequiresGrad = true };
        var rows = Ops.GatherGlobalRows(h, mask);
        Assert.Equal([2, 2, 2], rows.Shape);
        Assert.Equal([2f, 3f, 4f, 5f, 6f, 7f, 0f, 0f], rows.Data);
        rows.Backward([1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Equal([0f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 0f, 0f, 0f, 0f], h.Grad!);
    }
}

/// <summary>Runs alone: it reads the process-wide allocation counter, which concurrent tests would disturb.</summary>
[CollectionDefinition(nameof(SlidingWindowMemoryTests), DisableParallelization = true)]
[Collection(nameof(SlidingWindowMemoryTests))]
public sealed class SlidingWindowMemoryTests
{
    /// <summary>T = 16,384 with a window of ±2: a T×T score matrix alone would be 1 GiB; the op must stay linear.</summary>
    [Fact]
    public void SlidingWindowAttention_LongSequence_AllocatesLinearMemory()
    {
        const int T = 16_384;
        var kinds = Enumerable.Repeat(1, T).ToArray();
        kinds[0] = 2;
        var mask = new SlidingWindowMask(kinds, 1, T);
        var rng = new Rng(3);
        Tensor R(params int[] shape)
        {
            var t = Tensor.Randn(rng, 1f, shape);
            t.RequiresGrad = true;
            return t;
        }
        Tensor q = R(1, T, 4), k = R(1, T, 4), v = R(1, T, 4), qg = R(1, 1, 4), kg = R(1, T, 4), vg = R(1, T, 4);
        var before = GC.GetTotalAllocatedBytes(true);
        var output = Ops.SlidingWindowAttention(q, k, v, mask, 1, 2, 0.5f, qg, kg, vg);
        output.Backward(new float[output.Size]);
        var allocated = GC.GetTotalAllocatedBytes(true) - before;
        Assert.True(allocated < 64L << 20, $"allocated {allocated >> 20} MiB");
    }
}
