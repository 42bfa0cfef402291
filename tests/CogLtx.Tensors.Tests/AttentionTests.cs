using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class AttentionTests
{
    // B = 2, NH = 2, Tq = 3, Tk = 4, HS = 3
    private static Tensor[] Qkv(ulong seed) => [T.Param(seed, 2, 2, 3, 3), T.Param(seed + 1, 2, 2, 4, 3), T.Param(seed + 2, 2, 2, 4, 3)];

    /// <summary>HF eager attention written with separate ops: softmax(q·kᵀ·scale + mask)·v.</summary>
    private static Tensor Reference(Tensor q, Tensor k, Tensor v, Tensor? mask, float scale)
    {
        var scores = Ops.Scale(Ops.MatMul(q, k, transB: true), scale);
        if (mask is not null) scores = Ops.Add(scores, mask);
        return Ops.MatMul(Ops.Softmax(scores), v);
    }

    private static Tensor PaddingMask() => Ops.AdditiveMask([1, 1, 1, 1, 1, 1, 0, 0], 2, 4);

    [Fact]
    public void AdditiveMask_IsZeroOrFloatMin_Shaped_B_1_1_T()
    {
        var m = PaddingMask();
        Assert.Equal(new[] { 2, 1, 1, 4 }, m.Shape);
        Assert.Equal(new[] { 0f, 0, 0, 0, 0, 0, float.MinValue, float.MinValue }, m.Data);
    }

    [Fact]
    public void Attention_MatchesUnfusedOps_ForwardAndBackward()
    {
        var mask = PaddingMask();
        var a = Qkv(1);
        var b = Qkv(1);
        var fused = Ops.ScaledDotProductAttention(a[0], a[1], a[2], mask, 0.5f);
        var reference = Reference(b[0], b[1], b[2], mask, 0.5f);
        T.Close(reference.Data, fused.Data, 1e-5, "out");
        var dout = Tensor.Randn(new Rng(3), 1f, fused.Shape).Data;
        fused.Backward(dout);
        reference.Backward(dout);
        for (var i = 0; i < 3; i++) T.Close(b[i].Grad, a[i].Grad, 1e-5, $"grad {i}");
    }

    [Fact]
    public void Attention_PaddedKeys_GetZeroProbability()
    {
        // v is 1 at padded keys and 0 elsewhere: the output of batch 1 must be exactly 0.
        var vv = Tensor.Zeros(2, 1, 4, 1);
        vv.Data[4 + 2] = 1f;
        vv.Data[4 + 3] = 1f;
        var y = Ops.ScaledDotProductAttention(Tensor.Randn(new Rng(1), 1f, 2, 1, 3, 1), Tensor.Randn(new Rng(2), 1f, 2, 1, 4, 1), vv, PaddingMask(), 1f);
        Assert.All(y.Data.Skip(3), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Attention_FullyMaskedBatch_StaysFiniteAndUniform()
    {
        // Batch 1 has no real key: every probability is 1/Tk (torch's behaviour with finfo.min), so out = mean of v.
        var mask = Ops.AdditiveMask([1, 1, 0, 0, 0, 0, 0, 0], 2, 4);
        var q = Qkv(4);
        var y = Ops.ScaledDotProductAttention(q[0], q[1], q[2], mask, 0.7f);
        Assert.All(y.Data, x => Assert.True(float.IsFinite(x)));
        for (var h = 0; h < 2; h++)
            for (var d = 0; d < 3; d++)
            {
                var mean = Enumerable.Range(0, 4).Average(j => q[2].Data[((1 * 2 + h) * 4 + j) * 3 + d]);
                Assert.Equal(mean, y.Data[((1 * 2 + h) * 3 + 0) * 3 + d], 5);
            }
    }

    [Fact]
    public void Attention_Backward_MatchesFiniteDifferences_NoMask() =>
        GradCheck.Assert(x => Ops.ScaledDotProductAttention(x[0], x[1], x[2], null, 0.6f), Qkv(10), eps: 1e-3f);

    [Fact]
    public void Attention_Backward_MatchesFiniteDifferences_PaddingMask() =>
        GradCheck.Assert(x => Ops.ScaledDotProductAttention(x[0], x[1], x[2], PaddingMask(), 0.6f), Qkv(20), eps: 1e-3f);

    [Fact]
    public void Attention_Backward_MatchesFiniteDifferences_FullMask()
    {
        var mask = Tensor.Randn(new Rng(7), 1f, 2, 2, 3, 4);
        GradCheck.Assert(x => Ops.ScaledDotProductAttention(x[0], x[1], x[2], mask, 0.6f), Qkv(30), eps: 1e-3f);
    }

    [Fact]
    public void Attention_Backward_MatchesFiniteDifferences_WithDropout() =>
        GradCheck.Assert(x => Ops.ScaledDotProductAttention(x[0], x[1], x[2], PaddingMask(), 0.6f, 0.3f, new Rng(11)), Qkv(40), eps: 1e-3f);

    [Fact]
    public void Attention_SelfWithOneTensor_Backward_MatchesFiniteDifferences() =>
        // q = k = v: the three gradient contributions land in one buffer.
        GradCheck.Assert(x => Ops.ScaledDotProductAttention(x[0], x[0], x[0], PaddingMask(), 0.6f), [T.Param(60, 2, 2, 4, 3)], eps: 1e-3f);

    [Fact]
    public void Attention_Dropout_ZeroesSomeProbabilities_Deterministically()
    {
        var q = Qkv(50);
        var a = Ops.ScaledDotProductAttention(q[0], q[1], q[2], null, 0.5f, 0.5f, new Rng(1));
        var b = Ops.ScaledDotProductAttention(q[0], q[1], q[2], null, 0.5f, 0.5f, new Rng(1));
        var none = Ops.ScaledDotProductAttention(q[0], q[1], q[2], null, 0.5f);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(none.Data, a.Data);
    }

    [Fact]
    public void Attention_MaskThatDoesNotBroadcast_Throws() =>
        Assert.Throws<ArgumentException>(() => Ops.ScaledDotProductAttention(Qkv(1)[0], Qkv(1)[1], Qkv(1)[2], Tensor.Zeros(2, 1, 1, 5), 1f));
}
