using System.Buffers;
using System.Numerics.Tensors;

namespace CogLtx.Tensors;

public static partial class Ops
{
    // B = batch, T = length, C = channels = NH·HS, NH = heads, HS = head size, w = one-sided window,
    // W = 2w + 1 band columns, G = max global tokens per row. q, k, v, outputs: (B, T, C), heads side by side.
    private const int SwaQueryBlock = 32;

    /// <summary>
    /// Longformer self-attention (HF <c>LongformerSelfAttention.forward</c>) in O(T·(W + G)) memory, never a T×T
    /// matrix. Local query i (kind 1) scores keys j = i−w … i+w that are local (padding and global keys leave the
    /// band), plus one leading column per global token of its row, all with the LOCAL k and v:
    /// p = softmax(scale·q_i·k_j), out_i = Σ p_j v_j. Padding query rows give 0. Each global token g instead gets
    /// p = softmax_j(scale·qg_g·kg_j) over every non-padding position j and out_g = Σ p_j vg_j, with the
    /// query_global/key_global/value_global projections. Dropout (training) acts on the probabilities.
    /// </summary>
    /// <param name="globalQ">(B, G, C): query_global of the rows <see cref="GatherGlobalRows"/> returns; needed when mask.MaxGlobal > 0.</param>
    /// <param name="globalK">(B, T, C): key_global of every position.</param>
    /// <param name="globalV">(B, T, C): value_global of every position.</param>
    public static Tensor SlidingWindowAttention(Tensor q, Tensor k, Tensor v, SlidingWindowMask mask, int numHeads, int oneSidedWindow, float scale,
        Tensor? globalQ = null, Tensor? globalK = null, Tensor? globalV = null, float dropoutP = 0f, Rng? rng = null)
    {
        var swa = SwaState.Create(q, k, v, mask, numHeads, oneSidedWindow, scale, globalQ, globalK, globalV, dropoutP, rng);
        var output = Tensor.Zeros(q.Shape);
        Parallelism.For(swa.B * swa.NH, swa.Cost, (start, end) => { for (var bh = start; bh < end; bh++) swa.Forward(bh, output.Data); });
        Tensor[] inputs = swa.G > 0 ? [q, k, v, globalQ!, globalK!, globalV!] : [q, k, v];
        return Autograd.Record(output, inputs, () =>
        {
            var dOut = output.Grad!;
            swa.PrepareGrads();
            Parallelism.For(swa.B * swa.NH, 2 * swa.Cost, (start, end) => { for (var bh = start; bh < end; bh++) swa.Backward(bh, dOut); });
        });
    }

    /// <summary>
    /// Rows of h (B, T, C) at each row's global positions → (B, G, C); unused slots are zero (HF
    /// <c>_compute_global_attn_output_from_hidden</c>, <c>global_attn_hidden_states</c>). Gradients scatter back.
    /// </summary>
    public static Tensor GatherGlobalRows(Tensor h, SlidingWindowMask mask)
    {
        if (h.Rank != 3 || h.Shape[0] != mask.Batch || h.Shape[1] != mask.Length)
            throw new ArgumentException($"GatherGlobalRows: hidden states {Shapes.Format(h.Shape)} do not match the mask ({mask.Batch}, {mask.Length}, C)");
        int batch = mask.Batch, length = mask.Length, g = mask.MaxGlobal, c = h.Shape[2];
        var output = Tensor.Zeros(batch, g, c);
        for (var b = 0; b < batch; b++)
            for (var s = 0; s < mask.GlobalCount(b); s++)
                h.Data.AsSpan((b * length + mask.GlobalPosition(b, s)) * c, c).CopyTo(output.Data.AsSpan((b * g + s) * c, c));
        return Autograd.Record(output, [h], () =>
        {
            var dh = h.GradSpan();
            for (var b = 0; b < batch; b++)
                for (var s = 0; s < mask.GlobalCount(b); s++)
                {
                    var row = dh.Slice((b * length + mask.GlobalPosition(b, s)) * c, c);
                    TensorPrimitives.Add(row, output.Grad.AsSpan((b * g + s) * c, c), row);
                }
        });
    }

    /// <summary>Forward kernel, cache and backward kernel of <see cref="SlidingWindowAttention"/>, per (batch row, head).</summary>
    private sealed class SwaState
    {
        public int B, T, C, NH, HS, Wn, W, G;
        public float Scale, DropP, KeepScale;
        public Tensor Q = null!, K = null!, V = null!, Qg = null!, Kg = null!, Vg = null!;
        public SlidingWindowMask Mask = null!;
        public float[] PBand = null!, PCol = null!, PRow = null!;      // (B, NH, T, W), (B, NH, T, G), (B, NH, G, T): softmax before dropout
        public float[]? KeepBand, KeepCol, KeepRow;                     // dropout: 0 or 1/(1 − p) per probability, same layouts
        public ulong[]? Seeds;                                          // one dropout stream per (b, h): deterministic however heads are split over threads
        public float[]? DQ, DK, DV, DQg, DKg, DVg;

        /// <summary>Forward multiply-adds per (b, h): the band and global columns twice (scores, values) plus the global rows.</summary>
        public long Cost => 2L * T * (W + 2 * G) * HS;

        public static SwaState Create(Tensor q, Tensor k, Tensor v, SlidingWindowMask mask, int numHeads, int oneSidedWindow, float scale,
            Tensor? qg, Tensor? kg, Tensor? vg, float dropoutP, Rng? rng)
        {
            if (q.Rank != 3) throw new ArgumentException($"SlidingWindowAttention: q must be (B, T, C), got {Shapes.Format(q.Shape)}");
            if (!Shapes.SameShape(q.Shape, k.Shape) || !Shapes.SameShape(q.Shape, v.Shape))
                throw new ArgumentException($"SlidingWindowAttention: q {Shapes.Format(q.Shape)}, k {Shapes.Format(k.Shape)}, v {Shapes.Format(v.Shape)} must have one shape");
            int b = q.Shape[0], t = q.Shape[1], c = q.Shape[2];
            if (numHeads <= 0 || c % numHeads != 0) throw new ArgumentException($"SlidingWindowAttention: {c} channels do not split into {numHeads} heads");
            if (oneSidedWindow < 1) throw new ArgumentException($"SlidingWindowAttention: one-sided window must be ≥ 1, got {oneSidedWindow}");
            if (mask.Batch != b || mask.Length != t) throw new ArgumentException($"SlidingWindowAttention: mask is ({mask.Batch}, {mask.Length}), q is ({b}, {t}, {c})");
            if (dropoutP is < 0f or >= 1f) throw new ArgumentException($"SlidingWindowAttention: dropout probability {dropoutP} outside [0, 1)");
            if (dropoutP > 0f && rng is null) throw new ArgumentException("SlidingWindowAttention: dropout needs an Rng");
            var s = new SwaState
            {
                B = b, T = t, C = c, NH = numHeads, HS = c / numHeads, Wn = oneSidedWindow, W = 2 * oneSidedWindow + 1, G = mask.MaxGlobal,
                Scale = scale, DropP = dropoutP, KeepScale = 1f / (1f - dropoutP), Q = q, K = k, V = v, Mask = mask,
            };
            if (s.G > 0)
            {
                if (qg is null || kg is null || vg is null)
                    throw new ArgumentException($"SlidingWindowAttention: the mask has global tokens (up to {s.G} per row), so globalQ, globalK and globalV are required");
                if (!Shapes.SameShape(qg.Shape, [b, s.G, c])) throw new ArgumentException($"SlidingWindowAttention: globalQ must be {Shapes.Format([b, s.G, c])}, got {Shapes.Format(qg.Shape)}");
                if (!Shapes.SameShape(kg.Shape, q.Shape) || !Shapes.SameShape(vg.Shape, q.Shape))
                    throw new ArgumentException($"SlidingWindowAttention: globalK {Shapes.Format(kg.Shape)} and globalV {Shapes.Format(vg.Shape)} must be {Shapes.Format(q.Shape)}");
                (s.Qg, s.Kg, s.Vg) = (qg, kg, vg);
            }
            var heads = b * numHeads;
            s.PBand = BufferScope.Allocate(heads * t * s.W, zeroed: true);
            s.PCol = BufferScope.Allocate(heads * t * s.G, zeroed: true);
            s.PRow = BufferScope.Allocate(heads * s.G * t, zeroed: true);
            if (dropoutP > 0f)
            {
                (s.KeepBand, s.KeepCol, s.KeepRow) = (BufferScope.Allocate(s.PBand.Length, zeroed: true), BufferScope.Allocate(s.PCol.Length, zeroed: true), BufferScope.Allocate(s.PRow.Length, zeroed: true));
                s.Seeds = new ulong[heads];
                for (var i = 0; i < heads; i++) s.Seeds[i] = rng!.NextULong();
            }
            return s;
        }

        /// <summary>Gradient buffers of the inputs that want one (allocated here, before the parallel backward).</summary>
        public void PrepareGrads()
        {
            DQ = GradOf(Q); DK = GradOf(K); DV = GradOf(V);
            if (G > 0) { DQg = GradOf(Qg); DKg = GradOf(Kg); DVg = GradOf(Vg); }
        }

        private static float[]? GradOf(Tensor t)
        {
            if (!t.RequiresGrad) return null;
            t.GradSpan();
            return t.Grad;
        }

        // ---- forward ----------------------------------------------------------------------------------------

        public void Forward(int bh, float[] output)
        {
            int b = bh / NH, h = bh % NH, head = b * T * C + h * HS;     // head: offset of (b, 0, h·HS) in a (B, T, C) tensor
            var rng = Seeds is null ? null : new Rng(Seeds[bh]);
            var kinds = Mask.Kinds.AsSpan(b * T, T);
            var globals = Mask.Globals.AsSpan(b * G, Mask.Counts[b]);
            var block = ArrayPool<float>.Shared.Rent(SwaQueryBlock * (SwaQueryBlock + 2 * Wn));
            try
            {
                for (var i0 = 0; i0 < T; i0 += SwaQueryBlock)
                {
                    int i1 = Math.Min(T, i0 + SwaQueryBlock), r0 = Math.Max(0, i0 - Wn), nr = Math.Min(T, i1 + Wn) - r0;
                    // (mb, nr) = scale · q[i0:i1] · k[r0:r1]ᵀ: the band of this query block plus the corners outside it.
                    Gemm(false, true, i1 - i0, nr, HS, Scale, Q.Data.AsSpan(head + i0 * C), C, K.Data.AsSpan(head + r0 * C), C, 0f, block, nr);
                    for (var i = i0; i < i1; i++)
                    {
                        var pBand = PBand.AsSpan((bh * T + i) * W, W);
                        var pCol = PCol.AsSpan((bh * T + i) * G, G);
                        // Padding rows are 0 (HF masked_fill after the softmax); global rows are replaced below.
                        if (kinds[i] != 1) { pBand.Clear(); pCol.Clear(); continue; }
                        // Scores in place, −∞ where HF has −inf or finfo.min (probability exactly 0 either way): unused
                        // global slots, keys outside [0, T), padding keys and global keys (those sit in the leading columns).
                        var (jlo, len) = Band(i);
                        pBand.Fill(float.NegativeInfinity);
                        block.AsSpan((i - i0) * nr + jlo - r0, len).CopyTo(pBand[(jlo - i + Wn)..]);
                        foreach (var j in Mask.NonLocalIn(b, jlo, jlo + len - 1)) pBand[j - i + Wn] = float.NegativeInfinity;
                        pCol.Fill(float.NegativeInfinity);
                        var qi = Q.Data.AsSpan(head + i * C, HS);
                        for (var s = 0; s < globals.Length; s++) pCol[s] = Scale * TensorPrimitives.Dot(qi, K.Data.AsSpan(head + globals[s] * C, HS));
                        SoftmaxInPlace(pCol, pBand);
                        if (rng is null) continue;
                        for (var s = 0; s < globals.Length; s++) KeepCol![(bh * T + i) * G + s] = Draw(rng);
                        for (var d = jlo - i + Wn; d < jlo - i + Wn + len; d++) KeepBand![(bh * T + i) * W + d] = Draw(rng);
                    }
                    // out[i0:i1] = P'(mb, nr) · v[r0:r1] + Σ_s P'_s · v[g_s], P' the probabilities after dropout.
                    DenseBlock(bh, i0, i1, r0, nr, block);
                    Gemm(false, false, i1 - i0, HS, nr, 1f, block, nr, V.Data.AsSpan(head + r0 * C), C, 0f, output.AsSpan(head + i0 * C), C);
                    for (var i = i0; i < i1; i++)
                        for (var s = 0; s < globals.Length; s++)
                        {
                            var e = (bh * T + i) * G + s;
                            var p = KeepCol is null ? PCol[e] : PCol[e] * KeepCol[e];
                            if (p != 0f) Axpy(p, V.Data.AsSpan(head + globals[s] * C, HS), output.AsSpan(head + i * C, HS));
                        }
                }
                if (globals.Length > 0) GlobalRowsForward(bh, b, h, kinds, globals, output, rng);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(block);
            }
        }

        /// <summary>Global token rows (HF _compute_global_attn_output_from_hidden): (n, T) = scale · qg · kgᵀ, padding keys out, softmax, · vg.</summary>
        private void GlobalRowsForward(int bh, int b, int h, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> globals, float[] output, Rng? rng)
        {
            int n = globals.Length, head = b * T * C + h * HS, gHead = b * G * C + h * HS, at = bh * G * T;
            var pRow = PRow.AsSpan(at, n * T);
            Gemm(false, true, n, T, HS, Scale, Qg.Data.AsSpan(gHead), C, Kg.Data.AsSpan(head), C, 0f, pRow, T);
            var padding = Mask.NonLocalIn(b, 0, T - 1);
            for (var s = 0; s < n; s++)
            {
                var row = pRow.Slice(s * T, T);
                foreach (var j in padding) if (kinds[j] == 0) row[j] = float.NegativeInfinity;
                SoftmaxInPlace([], row);
            }
            if (rng is not null) for (var e = 0; e < n * T; e++) KeepRow![at + e] = Draw(rng);
            var dropped = ArrayPool<float>.Shared.Rent(n * T);
            var rows = ArrayPool<float>.Shared.Rent(n * HS);
            try
            {
                Dropped(PRow, KeepRow, at, dropped.AsSpan(0, n * T));
                Gemm(false, false, n, HS, T, 1f, dropped, T, Vg.Data.AsSpan(head), C, 0f, rows, HS);
                for (var s = 0; s < n; s++) rows.AsSpan(s * HS, HS).CopyTo(output.AsSpan(head + globals[s] * C, HS));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(dropped);
                ArrayPool<float>.Shared.Return(rows);
            }
        }

        // ---- backward ---------------------------------------------------------------------------------------

        /// <summary>
        /// Per row with probabilities p (before dropout) and dp = ∂L/∂p: ∂L/∂score = p ⊙ (dp − Σ p·dp);
        /// dq_i += scale Σ_c ds_c k_c, dk_c += scale ds_c q_i, dv_c += p'_c dout_i. Rows that are padding or global
        /// have p = 0 in the local part, so nothing flows through it (their output is 0 or replaced).
        /// </summary>
        public void Backward(int bh, float[] dOut)
        {
            int b = bh / NH, h = bh % NH, head = b * T * C + h * HS;
            var kinds = Mask.Kinds.AsSpan(b * T, T);
            var globals = Mask.Globals.AsSpan(b * G, Mask.Counts[b]);
            var size = SwaQueryBlock * (SwaQueryBlock + 2 * Wn);
            var pBlock = ArrayPool<float>.Shared.Rent(size);
            var dsBlock = ArrayPool<float>.Shared.Rent(size);
            var dp = ArrayPool<float>.Shared.Rent(G + W);
            try
            {
                if (globals.Length > 0) GlobalRowsBackward(bh, b, h, globals, dOut);
                for (var i0 = 0; i0 < T; i0 += SwaQueryBlock)
                {
                    int i1 = Math.Min(T, i0 + SwaQueryBlock), mb = i1 - i0, r0 = Math.Max(0, i0 - Wn), nr = Math.Min(T, i1 + Wn) - r0;
                    DenseBlock(bh, i0, i1, r0, nr, pBlock);
                    if (DV is not null) Gemm(true, false, nr, HS, mb, 1f, pBlock, nr, dOut.AsSpan(head + i0 * C), C, 1f, DV.AsSpan(head + r0 * C), C);
                    if (DQ is null && DK is null) continue;
                    // dp' (mb, nr) = dout[i0:i1] · v[r0:r1]ᵀ, overwritten row by row with ds.
                    Gemm(false, true, mb, nr, HS, 1f, dOut.AsSpan(head + i0 * C), C, V.Data.AsSpan(head + r0 * C), C, 0f, dsBlock, nr);
                    for (var i = i0; i < i1; i++)
                    {
                        var dsRow = dsBlock.AsSpan((i - i0) * nr, nr);
                        if (kinds[i] != 1) { dsRow.Clear(); continue; }
                        var (jlo, len) = Band(i);
                        int rowAt = bh * T + i, dlo = jlo - i + Wn;
                        var pCol = PCol.AsSpan(rowAt * G, globals.Length);
                        var pBand = PBand.AsSpan(rowAt * W + dlo, len);
                        var dpCol = dp.AsSpan(0, globals.Length);
                        var dpBand = dp.AsSpan(G, len);
                        var dOi = dOut.AsSpan(head + i * C, HS);
                        for (var s = 0; s < globals.Length; s++) dpCol[s] = TensorPrimitives.Dot(dOi, V.Data.AsSpan(head + globals[s] * C, HS));
                        var dsBand = dsRow.Slice(jlo - r0, len);
                        dsBand.CopyTo(dpBand);
                        if (KeepBand is not null)
                        {
                            TensorPrimitives.Multiply(dpCol, KeepCol.AsSpan(rowAt * G, globals.Length), dpCol);
                            TensorPrimitives.Multiply(dpBand, KeepBand.AsSpan(rowAt * W + dlo, len), dpBand);
                        }
                        var dot = TensorPrimitives.Dot(pCol, dpCol) + TensorPrimitives.Dot(pBand, dpBand);
                        dsRow[..(jlo - r0)].Clear();
                        dsRow[(jlo - r0 + len)..].Clear();
                        TensorPrimitives.AddMultiply(dpBand, -dot, pBand, dsBand);   // (dp − Σ p·dp) ⊙ p; masked keys have p = 0
                        var qi = Q.Data.AsSpan(head + i * C, HS);
                        for (var s = 0; s < globals.Length; s++)
                        {
                            var ds = Scale * pCol[s] * (dpCol[s] - dot);
                            if (ds == 0f) continue;
                            if (DQ is not null) Axpy(ds, K.Data.AsSpan(head + globals[s] * C, HS), DQ.AsSpan(head + i * C, HS));
                            if (DK is not null) Axpy(ds, qi, DK.AsSpan(head + globals[s] * C, HS));
                        }
                    }
                    if (DQ is not null) Gemm(false, false, mb, HS, nr, Scale, dsBlock, nr, K.Data.AsSpan(head + r0 * C), C, 1f, DQ.AsSpan(head + i0 * C), C);
                    if (DK is not null) Gemm(true, false, nr, HS, mb, Scale, dsBlock, nr, Q.Data.AsSpan(head + i0 * C), C, 1f, DK.AsSpan(head + r0 * C), C);
                }
                if (DV is not null)
                    for (var i = 0; i < T; i++)
                        for (var s = 0; s < globals.Length; s++)
                        {
                            var e = (bh * T + i) * G + s;
                            var p = KeepCol is null ? PCol[e] : PCol[e] * KeepCol[e];
                            if (p != 0f) Axpy(p, dOut.AsSpan(head + i * C, HS), DV.AsSpan(head + globals[s] * C, HS));
                        }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(pBlock);
                ArrayPool<float>.Shared.Return(dsBlock);
                ArrayPool<float>.Shared.Return(dp);
            }
        }

        private void GlobalRowsBackward(int bh, int b, int h, ReadOnlySpan<int> globals, float[] dOut)
        {
            int n = globals.Length, head = b * T * C + h * HS, gHead = b * G * C + h * HS, at = bh * G * T;
            var dOg = ArrayPool<float>.Shared.Rent(n * HS);
            var pd = ArrayPool<float>.Shared.Rent(n * T);
            var ds = ArrayPool<float>.Shared.Rent(n * T);
            try
            {
                for (var s = 0; s < n; s++) dOut.AsSpan(head + globals[s] * C, HS).CopyTo(dOg.AsSpan(s * HS, HS));
                Dropped(PRow, KeepRow, at, pd.AsSpan(0, n * T));
                if (DVg is not null) Gemm(true, false, T, HS, n, 1f, pd, T, dOg, HS, 1f, DVg.AsSpan(head), C);
                if (DQg is null && DKg is null) return;
                Gemm(false, true, n, T, HS, 1f, dOg, HS, Vg.Data.AsSpan(head), C, 0f, ds, T);
                if (KeepRow is not null) TensorPrimitives.Multiply(ds.AsSpan(0, n * T), KeepRow.AsSpan(at, n * T), ds.AsSpan(0, n * T));
                for (var s = 0; s < n; s++)
                {
                    var p = PRow.AsSpan(at + s * T, T);
                    var row = ds.AsSpan(s * T, T);
                    TensorPrimitives.AddMultiply(row, -TensorPrimitives.Dot(p, row), p, row);   // (dp − Σ p·dp) ⊙ p
                }
                if (DQg is not null) Gemm(false, false, n, HS, T, Scale, ds, T, Kg.Data.AsSpan(head), C, 1f, DQg.AsSpan(gHead), C);
                if (DKg is not null) Gemm(true, false, T, HS, n, Scale, ds, T, Qg.Data.AsSpan(gHead), C, 1f, DKg.AsSpan(head), C);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(dOg);
                ArrayPool<float>.Shared.Return(pd);
                ArrayPool<float>.Shared.Return(ds);
            }
        }

        // ---- helpers ----------------------------------------------------------------------------------------

        /// <summary>Keys of query i inside [0, T): the first one and how many (at most W).</summary>
        private (int First, int Count) Band(int i)
        {
            int lo = Math.Max(0, i - Wn), hi = Math.Min(T - 1, i + Wn);
            return (lo, hi - lo + 1);
        }

        /// <summary>P' block (mb, nr) after dropout: row i's band column d is key j = i − w + d at block column j − r0; zero elsewhere.</summary>
        private void DenseBlock(int bh, int i0, int i1, int r0, int nr, float[] block)
        {
            block.AsSpan(0, (i1 - i0) * nr).Clear();
            for (var i = i0; i < i1; i++)
            {
                var (jlo, len) = Band(i);
                var at = (bh * T + i) * W + jlo - i + Wn;
                var target = block.AsSpan((i - i0) * nr + jlo - r0, len);
                if (KeepBand is null) PBand.AsSpan(at, len).CopyTo(target);
                else TensorPrimitives.Multiply(PBand.AsSpan(at, len), KeepBand.AsSpan(at, len), target);
            }
        }

        /// <summary>destination = p[at …] after inverted dropout (keep holds 0 or 1/(1 − p)).</summary>
        private static void Dropped(float[] p, float[]? keep, int at, Span<float> destination)
        {
            if (keep is null) p.AsSpan(at, destination.Length).CopyTo(destination);
            else TensorPrimitives.Multiply(p.AsSpan(at, destination.Length), keep.AsSpan(at, destination.Length), destination);
        }

        private float Draw(Rng rng) => rng.NextFloat() >= DropP ? KeepScale : 0f;

        /// <summary>Softmax over the concatenation [a ; b] in place (−∞ entries become 0).</summary>
        private static void SoftmaxInPlace(Span<float> a, Span<float> b)
        {
            var max = TensorPrimitives.Max(b);
            if (!a.IsEmpty) max = MathF.Max(max, TensorPrimitives.Max(a));
            var inverse = 1f / (RowKernels.ExpSubtractSum(a, max, a) + RowKernels.ExpSubtractSum(b, max, b));
            TensorPrimitives.Multiply(a, inverse, a);
            TensorPrimitives.Multiply(b, inverse, b);
        }

        private static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.MultiplyAdd(x, alpha, y, y);

        /// <summary>Row-major c = alpha·op(a)·op(b) + beta·c on strided head slices; the callers already run one task per head.</summary>
        private static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
            Tensors.Gemm.SgemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
