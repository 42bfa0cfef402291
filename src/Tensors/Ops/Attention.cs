using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Fused scaled-dot-product attention: softmax(q·kᵀ·scale + mask)·v with dropout on the probabilities.
    /// q (B, NH, Tq, HS), k and v (B, NH, Tk, HS); additiveMask broadcastable to (B, NH, Tq, Tk), usually (B, 1, 1, Tk).
    /// </summary>
    /// <remarks>
    /// HF BertSelfAttention (eager): probs = dropout(softmax(QKᵀ/√d + mask)); context = probs·V. Runs per
    /// (batch, head) with GEMMs on spans, in parallel over heads. Only the probabilities (B, NH, Tq, Tk) are kept
    /// for backward; the dropout mask is regenerated from a per-head seed instead of stored. The mask is a
    /// constant: it receives no gradient.
    /// </remarks>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? additiveMask, float scale, float dropoutP = 0f, Rng? rng = null)
    {
        if (q.Rank != 4 || k.Rank != 4 || v.Rank != 4)
            throw new ArgumentException($"attention needs rank-4 q, k, v (B, NH, T, HS), got {Shapes.Format(q.Shape)}, {Shapes.Format(k.Shape)}, {Shapes.Format(v.Shape)}");
        var (b, nh, tq, hs) = (q.Shape[0], q.Shape[1], q.Shape[2], q.Shape[3]);
        var (tk, hv) = (k.Shape[2], v.Shape[3]);
        if (k.Shape[0] != b || k.Shape[1] != nh || k.Shape[3] != hs)
            throw new ArgumentException($"attention: k {Shapes.Format(k.Shape)} does not match q {Shapes.Format(q.Shape)} (expected ({b}, {nh}, Tk, {hs}))");
        if (v.Shape[0] != b || v.Shape[1] != nh || v.Shape[2] != tk)
            throw new ArgumentException($"attention: v {Shapes.Format(v.Shape)} does not match k {Shapes.Format(k.Shape)} (expected ({b}, {nh}, {tk}, HS))");
        if (dropoutP < 0 || dropoutP >= 1) throw new ArgumentOutOfRangeException(nameof(dropoutP), $"attention dropout must be in [0, 1), got {dropoutP}");
        if (dropoutP > 0 && rng is null) throw new ArgumentNullException(nameof(rng), "attention dropout > 0 needs an Rng");
        var maskStrides = additiveMask is null ? null : MaskStrides(additiveMask.Shape, b, nh, tq, tk);
        var dropSeed = dropoutP > 0 ? rng!.NextULong() : 0UL;

        // Probabilities are kept only when backward will need them; otherwise each thread reuses one scratch.
        var record = Autograd.IsEnabled && (q.RequiresGrad || k.RequiresGrad || v.RequiresGrad);
        var probs = record ? BufferScope.Allocate(b * nh * tq * tk, zeroed: false) : null;   // (B, NH, Tq, Tk), every entry written below
        var y = Tensor.Empty(b, nh, tq, hv);
        Parallelism.For(b * nh, (long)tq * tk * (hs + hv), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            var scratchP = probs is null ? ArrayPool<float>.Shared.Rent(tq * tk) : null;
            var scratchDrop = dropoutP > 0 ? ArrayPool<float>.Shared.Rent(tq * tk) : null;
            try
            {
                for (var bh = start; bh < end; bh++)
                {
                    var p = probs is null ? scratchP.AsSpan(0, tq * tk) : probs.AsSpan(bh * tq * tk, tq * tk);
                    // P = softmax(scale·q·kᵀ + mask) (Tq, Tk), row by row while it is in cache.
                    Gemm.SgemmSerial(false, true, tq, tk, hs, scale, q.Data.AsSpan(bh * tq * hs, tq * hs), hs,
                        k.Data.AsSpan(bh * tk * hs, tk * hs), hs, 0f, p, tk);
                    for (var i = 0; i < tq; i++)
                    {
                        var row = p.Slice(i * tk, tk);
                        if (additiveMask is not null) AddMaskRow(row, additiveMask.Data, maskStrides!, bh / nh, bh % nh, i);
                        SoftmaxRow(row, row);
                    }
                    ReadOnlySpan<float> used = p;
                    if (scratchDrop is not null)
                    {
                        var dropped = scratchDrop.AsSpan(0, tq * tk);
                        FillDropoutMask(dropped, dropoutP, HeadRng(dropSeed, bh));
                        TensorPrimitives.Multiply(dropped, p, dropped);
                        used = dropped;
                    }
                    // out = P̃·v (Tq, HSv)
                    Gemm.SgemmSerial(false, false, tq, hv, tk, 1f, used, tk, v.Data.AsSpan(bh * tk * hv, tk * hv), hv, 0f,
                        y.Data.AsSpan(bh * tq * hv, tq * hv), hv);
                }
            }
            finally
            {
                if (scratchP is not null) ArrayPool<float>.Shared.Return(scratchP);
                if (scratchDrop is not null) ArrayPool<float>.Shared.Return(scratchDrop);
            }
        });
        if (probs is null) return y;
        return Autograd.Record(y, [q, k, v], () => AttentionBackward(q, k, v, y.Grad!, probs, scale, dropoutP, dropSeed, b * nh, tq, tk, hs, hv));
    }

    /// <summary>
    /// Per (batch, head), with P the probabilities and P̃ = P ⊙ dropout mask:
    /// dV += P̃ᵀ·dO; dP̃ = dO·Vᵀ; dP = dP̃ ⊙ mask; dS = P ⊙ (dP − rowsum(dP ⊙ P));
    /// dQ += scale·dS·K; dK += scale·dSᵀ·Q. Heads write disjoint gradient slices, so they run in parallel.
    /// </summary>
    private static void AttentionBackward(Tensor q, Tensor k, Tensor v, float[] dy, float[] probs, float scale,
        float dropoutP, ulong dropSeed, int heads, int tq, int tk, int hs, int hv)
    {
        // Gradient buffers are taken before the parallel loop, in the order the GEMMs below run (v, q, k), so a
        // fresh buffer is first written with beta = 0 and a tensor passed twice accumulates its second use.
        var (dv, betaV) = GradAndBeta(v);
        var (dq, betaQ) = GradAndBeta(q);
        var (dk, betaK) = GradAndBeta(k);
        Parallelism.For(heads, 2L * tq * tk * (hs + hv), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            var bufP = ArrayPool<float>.Shared.Rent(tq * tk);
            var bufD = ArrayPool<float>.Shared.Rent(tq * tk);
            var bufM = dropoutP > 0 ? ArrayPool<float>.Shared.Rent(tq * tk) : null;
            try
            {
                for (var bh = start; bh < end; bh++)
                {
                    var p = probs.AsSpan(bh * tq * tk, tq * tk);
                    var dO = dy.AsSpan(bh * tq * hv, tq * hv);
                    var vh = v.Data.AsSpan(bh * tk * hv, tk * hv);
                    ReadOnlySpan<float> used = p;
                    var mask = bufM is null ? default : bufM.AsSpan(0, tq * tk);
                    if (bufM is not null)
                    {
                        FillDropoutMask(mask, dropoutP, HeadRng(dropSeed, bh));
                        TensorPrimitives.Multiply(mask, p, bufP.AsSpan(0, tq * tk));
                        used = bufP.AsSpan(0, tq * tk);
                    }
                    if (dv is not null)
                        Gemm.SgemmSerial(true, false, tk, hv, tq, 1f, used, tk, dO, hv, betaV, dv.AsSpan(bh * tk * hv, tk * hv), hv);
                    if (dq is null && dk is null) continue;
                    var ds = bufD.AsSpan(0, tq * tk);
                    Gemm.SgemmSerial(false, true, tq, tk, hv, 1f, dO, hv, vh, hv, 0f, ds, tk);
                    if (bufM is not null) TensorPrimitives.Multiply(ds, mask, ds);
                    for (var i = 0; i < tq; i++)
                    {
                        var pr = p.Slice(i * tk, tk);
                        var dr = ds.Slice(i * tk, tk);
                        var dot = TensorPrimitives.Dot(dr, pr);
                        TensorPrimitives.Subtract(dr, dot, dr);
                        TensorPrimitives.Multiply(dr, pr, dr);
                    }
                    if (dq is not null)
                        Gemm.SgemmSerial(false, false, tq, hs, tk, scale, ds, tk, k.Data.AsSpan(bh * tk * hs, tk * hs), hs, betaQ,
                            dq.AsSpan(bh * tq * hs, tq * hs), hs);
                    if (dk is not null)
                        Gemm.SgemmSerial(true, false, tk, hs, tq, scale, ds, tk, q.Data.AsSpan(bh * tq * hs, tq * hs), hs, betaK,
                            dk.AsSpan(bh * tk * hs, tk * hs), hs);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(bufP);
                ArrayPool<float>.Shared.Return(bufD);
                if (bufM is not null) ArrayPool<float>.Shared.Return(bufM);
            }
        });
    }

    /// <summary>The gradient buffer of t (null when t needs none) and beta: 0 to overwrite a fresh buffer, 1 to accumulate.</summary>
    private static (float[]? Grad, float Beta) GradAndBeta(Tensor t)
    {
        if (!t.RequiresGrad) return (null, 1f);
        var g = t.GradBuffer(out var fresh);
        return (g, fresh ? 0f : 1f);
    }

    /// <summary>Additive mask from a 0/1 attention mask (B, T): 0 where 1, float.MinValue where 0; shape (B, 1, 1, T). No gradient.</summary>
    /// <remarks>float.MinValue is torch.finfo(float32).min, as HF's get_extended_attention_mask uses.</remarks>
    public static Tensor AdditiveMask(float[] attentionMask, int batch, int length)
    {
        if (attentionMask.Length != batch * length)
            throw new ArgumentException($"AdditiveMask: {attentionMask.Length} mask entries for batch {batch} × length {length}");
        var m = Tensor.Zeros(batch, 1, 1, length);
        for (var i = 0; i < attentionMask.Length; i++) m.Data[i] = attentionMask[i] != 0 ? 0f : float.MinValue;
        return m;
    }

    private static Rng HeadRng(ulong seed, int head) => new(seed + (ulong)head * 0x9E3779B97F4A7C15UL);

    /// <summary>Strides (B, NH, Tq, Tk) into a mask right-aligned against (B, NH, Tq, Tk); 0 on broadcast axes.</summary>
    private static int[] MaskStrides(int[] maskShape, int b, int nh, int tq, int tk)
    {
        int[] full = [b, nh, tq, tk];
        if (maskShape.Length > 4) throw new ArgumentException($"attention mask {Shapes.Format(maskShape)} has rank > 4");
        var aligned = Enumerable.Repeat(1, 4 - maskShape.Length).Concat(maskShape).ToArray();
        var contiguous = Shapes.Strides(aligned);
        var strides = new int[4];
        for (var i = 0; i < 4; i++)
        {
            if (aligned[i] != 1 && aligned[i] != full[i])
                throw new ArgumentException($"attention mask {Shapes.Format(maskShape)} does not broadcast to ({b}, {nh}, {tq}, {tk})");
            strides[i] = aligned[i] == 1 ? 0 : contiguous[i];
        }
        return strides;
    }

    private static void AddMaskRow(Span<float> row, float[] mask, int[] strides, int b, int h, int i)
    {
        var offset = b * strides[0] + h * strides[1] + i * strides[2];
        if (strides[3] == 1) TensorPrimitives.Add(row, mask.AsSpan(offset, row.Length), row);
        else TensorPrimitives.Add(row, mask[offset], row);
    }
}
