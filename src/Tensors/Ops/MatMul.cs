using System.Numerics.Tensors;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>a (..., M, K) · b (..., K, N) → (..., M, N); leading dims broadcast (b may be 2-D). transA/transB read the operand's last two axes transposed without materialising it.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul needs operands of rank ≥ 2, got {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}");
        var (m, k) = transA ? (a.Dim(-1), a.Dim(-2)) : (a.Dim(-2), a.Dim(-1));
        var (kb, n) = transB ? (b.Dim(-1), b.Dim(-2)) : (b.Dim(-2), b.Dim(-1));
        if (k != kb)
            throw new ArgumentException($"MatMul: inner dimensions differ: a {Shapes.Format(a.Shape)}{(transA ? "ᵀ" : "")} has K={k}, b {Shapes.Format(b.Shape)}{(transB ? "ᵀ" : "")} has K={kb}");
        var batch = new BatchPlan(a.Shape[..^2], b.Shape[..^2]);
        var y = Tensor.Empty([.. batch.OutShape, m, n]);
        var (lda, ldb) = (transA ? m : k, transB ? k : n);
        // b shared by every batch and a not transposed: the batches stack into one (batch·M, K) GEMM.
        var folded = batch.BOffsets.All(o => o == 0) && !transA && batch.AOffsets.Select((o, i) => o == i).All(x => x);
        if (folded)
            Gemm.Sgemm(false, transB, batch.Count * m, n, k, 1f, a.Data, k, b.Data, ldb, 0f, y.Data, n);
        else
            for (var i = 0; i < batch.Count; i++)
                Gemm.Sgemm(transA, transB, m, n, k, 1f, a.Data.AsSpan(batch.AOffsets[i] * m * k), lda,
                    b.Data.AsSpan(batch.BOffsets[i] * k * n), ldb, 0f, y.Data.AsSpan(i * m * n), n);
        return Autograd.Record(y, [a, b], () =>
        {
            var dy = y.Grad!;
            // An operand read by exactly one product per batch may take a fresh gradient written with beta = 0;
            // one repeated over batches accumulates into a zeroed buffer.
            var betaA = 1f;
            var betaB = 1f;
            var da = a.RequiresGrad ? GradFor(a, folded || batch.AUnique, out betaA) : null;
            var db = b.RequiresGrad ? GradFor(b, folded || batch.BUnique, out betaB) : null;
            if (folded)
            {
                MatMulBackward(a, b, da, betaA, db, betaB, dy, 0, 0, 0, batch.Count * m, n, k, false, transB);
                return;
            }
            for (var i = 0; i < batch.Count; i++)
                MatMulBackward(a, b, da, betaA, db, betaB, dy, batch.AOffsets[i] * m * k, batch.BOffsets[i] * k * n, i * m * n, m, n, k, transA, transB);
        });
    }

    /// <summary>The gradient buffer of an operand and the beta its GEMMs use (0: overwrite a fresh buffer, 1: accumulate).</summary>
    private static float[] GradFor(Tensor t, bool writtenOnce, out float beta)
    {
        if (!writtenOnce)
        {
            t.GradSpan();
            beta = 1f;
            return t.Grad!;
        }
        var g = t.GradBuffer(out var fresh);
        beta = fresh ? 0f : 1f;
        return g;
    }

    /// <summary>
    /// One product's backward, accumulating (beta = 1). With C = op(A)·op(B):
    /// d op(A) = dC·op(B)ᵀ, d op(B) = op(A)ᵀ·dC; a stored-transposed operand takes the transpose of that.
    /// </summary>
    private static void MatMulBackward(Tensor a, Tensor b, float[]? gradA, float betaA, float[]? gradB, float betaB, float[] dy, int aOff, int bOff, int yOff, int m, int n, int k, bool transA, bool transB)
    {
        var (lda, ldb) = (transA ? m : k, transB ? k : n);
        var dc = dy.AsSpan(yOff, m * n);
        if (gradA is not null)
        {
            var da = gradA.AsSpan(aOff);
            var beta = betaA;
            if (!transA) Gemm.Sgemm(false, !transB, m, k, n, 1f, dc, n, b.Data.AsSpan(bOff), ldb, beta, da, lda);   // (M,N)·op(B)ᵀ
            else Gemm.Sgemm(transB, true, k, m, n, 1f, b.Data.AsSpan(bOff), ldb, dc, n, beta, da, lda);           // op(B)·dCᵀ
        }
        if (gradB is not null)
        {
            var db = gradB.AsSpan(bOff);
            var beta = betaB;
            if (!transB) Gemm.Sgemm(!transA, false, k, n, m, 1f, a.Data.AsSpan(aOff), lda, dc, n, beta, db, ldb);  // op(A)ᵀ·dC
            else Gemm.Sgemm(true, transA, n, k, m, 1f, dc, n, a.Data.AsSpan(aOff), lda, beta, db, ldb);            // dCᵀ·op(A)
        }
    }

    /// <summary>torch.nn.functional.linear: x (..., in) · weightᵀ (weight is (out, in)) + bias (out) → (..., out).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Linear: weight {weight.Name} must be (out, in), got {Shapes.Format(weight.Shape)}");
        var (outF, inF) = (weight.Shape[0], weight.Shape[1]);
        if (x.Rank < 1 || x.Dim(-1) != inF)
            throw new ArgumentException($"Linear: input {Shapes.Format(x.Shape)} has last dim {(x.Rank > 0 ? x.Dim(-1) : 0)}, weight {weight.Name} {Shapes.Format(weight.Shape)} expects {inF}");
        if (bias is not null && (bias.Rank != 1 || bias.Size != outF))
            throw new ArgumentException($"Linear: bias {bias.Name} {Shapes.Format(bias.Shape)} does not match {outF} outputs");
        var rows = x.Size / Math.Max(1, inF);
        var shape = (int[])x.Shape.Clone();
        shape[^1] = outF;
        var y = Tensor.Empty(shape);
        // Bias fused: rows start as b, then the GEMM accumulates x·Wᵀ on top (beta = 1).
        if (bias is not null)
            for (var r = 0; r < rows; r++) bias.Data.CopyTo(y.Data, r * outF);
        Gemm.Sgemm(false, true, rows, outF, inF, 1f, x.Data, inF, weight.Data, inF, bias is null ? 0f : 1f, y.Data, outF);
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Autograd.Record(y, inputs, () =>
        {
            var dy = y.Grad!;
            if (x.RequiresGrad)
            {
                var dx = x.GradBuffer(out var fresh);
                Gemm.Sgemm(false, false, rows, inF, outF, 1f, dy, outF, weight.Data, inF, fresh ? 0f : 1f, dx, inF);      // dx += dy·W
            }
            if (weight.RequiresGrad)
            {
                var dw = weight.GradBuffer(out var fresh);
                Gemm.Sgemm(true, false, outF, inF, rows, 1f, dy, outF, x.Data, inF, fresh ? 0f : 1f, dw, inF);           // dW += dyᵀ·x
            }
            if (bias is not null && bias.RequiresGrad)
            {
                var db = bias.GradBuffer(out var fresh);
                if (fresh) Array.Clear(db);
                for (var r = 0; r < rows; r++) TensorPrimitives.Add(db, dy.AsSpan(r * outF, outF), db);                 // db += Σ_rows dy
            }
        });
    }

    /// <summary>Broadcast of the batch (leading) axes of a matrix product: per output batch, which a and b batch it reads.</summary>
    private sealed class BatchPlan
    {
        public BatchPlan(int[] aBatch, int[] bBatch)
        {
            var rank = Math.Max(aBatch.Length, bBatch.Length);
            OutShape = new int[rank];
            var aFull = Enumerable.Repeat(1, rank - aBatch.Length).Concat(aBatch).ToArray();
            var bFull = Enumerable.Repeat(1, rank - bBatch.Length).Concat(bBatch).ToArray();
            for (var i = 0; i < rank; i++)
            {
                if (aFull[i] != bFull[i] && aFull[i] != 1 && bFull[i] != 1)
                    throw new ArgumentException($"MatMul: batch shapes {Shapes.Format(aBatch)} and {Shapes.Format(bBatch)} do not broadcast");
                OutShape[i] = Math.Max(aFull[i], bFull[i]);
                if (aFull[i] == 0 || bFull[i] == 0) OutShape[i] = 0;
            }
            Count = Shapes.Size(OutShape);
            AOffsets = new int[Count];
            BOffsets = new int[Count];
            var (aStrides, bStrides) = (Shapes.Strides(aFull), Shapes.Strides(bFull));
            for (var i = 0; i < Count; i++)
            {
                var rest = i;
                for (var d = rank - 1; d >= 0; d--)
                {
                    var idx = rest % OutShape[d];
                    rest /= OutShape[d];
                    if (aFull[d] != 1) AOffsets[i] += idx * aStrides[d];
                    if (bFull[d] != 1) BOffsets[i] += idx * bStrides[d];
                }
            }
        }

        public int[] OutShape { get; }
        public int Count { get; }
        public int[] AOffsets { get; }
        public int[] BOffsets { get; }

        /// <summary>True when no batch of a is read by two output batches (a is not broadcast).</summary>
        public bool AUnique => AOffsets.Length > 0 && AOffsets.Distinct().Count() == AOffsets.Length;

        public bool BUnique => BOffsets.Length > 0 && BOffsets.Distinct().Count() == BOffsets.Length;
    }
}
