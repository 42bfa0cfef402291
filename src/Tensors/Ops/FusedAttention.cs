using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

/// <summary>
/// Inference kernels that fuse what the autograd ops do in several passes, on caller-owned buffers. No gradient
/// is recorded and none is defined: the model falls back to the autograd ops whenever a backward may follow,
/// and those ops stay the reference the fused path is tested against.
/// </summary>
public static unsafe partial class Fused
{
    /// <summary>
    /// Query rows per work item: the (rows × Tk) score block (512 KB at Tk = 512) stays in a 1 MB L2 beside the
    /// head's keys and values, and each item repacks K and V once per 256 queries, not per 64 (measured: 9.0–9.6 ms
    /// against 10.0–11.4 ms per BERT-mini layer at batch 4 on one core).
    /// </summary>
    private const int QueryBlock = 256;

    /// <summary>
    /// Multi-head self-attention, context = softmax(q·kᵀ·scale + mask)·v per head, reading the heads straight out
    /// of the projections' (B·T, ld) rows (head h is columns [h·HS, (h+1)·HS) after the offset) and writing the
    /// context in (B·T, NH·HS) layout, so neither transformers' <c>transpose_for_scores</c> nor its inverse is
    /// materialised. Ports the eager path of transformers <c>modeling_bert.py: BertSelfAttention</c> (no dropout).
    /// </summary>
    /// <remarks>
    /// <paramref name="keyMask"/> is the 0/1 attention mask (B·T) or empty. Where it is HF's usual right padding
    /// (ones, then zeros) only the kept keys are scored: a padded key's weight e^(finfo.min + s − max) is exactly 0,
    /// so the result is the same. Other masks add finfo.min per masked key, as transformers does (a row with every
    /// key masked then attends uniformly, as there). Work is split over (batch, head, block of query rows).
    /// </remarks>
    public static void Attention(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int ld,
        int batch, int length, int heads, int headSize, ReadOnlySpan<int> keyMask, float scale, Span<float> context)
    {
        var hidden = heads * headSize;
        var rows = batch * length;
        if (ld < hidden) throw new ArgumentException($"attention: row stride {ld} is less than NH·HS = {hidden}");
        var needed = rows == 0 ? 0 : (long)(rows - 1) * ld + hidden;
        if (q.Length < needed || k.Length < needed || v.Length < needed)
            throw new ArgumentException($"attention: q, k, v need {needed} elements for {rows} rows of stride {ld}");
        if (context.Length < (long)rows * hidden) throw new ArgumentException($"attention: context needs {rows * hidden} elements");
        if (!keyMask.IsEmpty && keyMask.Length != rows) throw new ArgumentException($"attention: mask has {keyMask.Length} entries, expected {rows}");
        if (rows == 0) return;

        // Per batch row: the number of keys to score when the mask is a right padding, else −1 (add it per key).
        var keys = new int[batch];
        for (var b = 0; b < batch; b++) keys[b] = keyMask.IsEmpty ? length : KeptPrefix(keyMask.Slice(b * length, length));
        var mask = keyMask.IsEmpty ? null : keyMask.ToArray();
        var blocks = (length + QueryBlock - 1) / QueryBlock;
        fixed (float* pq = q)
        fixed (float* pk = k)
        fixed (float* pv = v)
        fixed (float* pc = context)
        {
            nint iq = (nint)pq, ik = (nint)pk, iv = (nint)pv, ic = (nint)pc;
            Parallelism.For(batch * heads * blocks, 2L * QueryBlock * length * headSize * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                var scratch = ArrayPool<float>.Shared.Rent(QueryBlock * length);
                Span<float> inverse = stackalloc float[QueryBlock];
                try
                {
                    for (var item = start; item < end; item++)
                    {
                        var block = item % blocks;
                        var h = item / blocks % heads;
                        var b = item / blocks / heads;
                        var i0 = block * QueryBlock;
                        var m = Math.Min(QueryBlock, length - i0);
                        var tk = keys[b] < 0 ? length : keys[b];
                        var s = scratch.AsSpan(0, m * tk);
                        var headOffset = (nint)b * length * ld + h * headSize;
                        var qh = new ReadOnlySpan<float>((float*)iq + headOffset + (nint)i0 * ld, (m - 1) * ld + headSize);
                        var kh = new ReadOnlySpan<float>((float*)ik + headOffset, (tk - 1) * ld + headSize);
                        var vh = new ReadOnlySpan<float>((float*)iv + headOffset, (tk - 1) * ld + headSize);
                        var ch = new Span<float>((float*)ic + ((nint)b * length + i0) * hidden + h * headSize, (m - 1) * hidden + headSize);
                        Gemm.SgemmSerial(false, true, m, tk, headSize, scale, qh, ld, kh, ld, 0f, s, tk);
                        for (var i = 0; i < m; i++)
                        {
                            var row = s.Slice(i * tk, tk);
                            if (keys[b] < 0)
                                for (var j = 0; j < tk; j++)
                                    if (mask![b * length + j] == 0) row[j] += float.MinValue;
                            // Softmax in two passes (max, then e^(x − max) with its sum); the 1/sum goes onto the
                            // head's HS outputs after the value product instead of onto the Tk weights before it.
                            inverse[i] = 1f / RowKernels.ExpSubtractSum(row, TensorPrimitives.Max(row), row);
                        }
                        Gemm.SgemmSerial(false, false, m, headSize, tk, 1f, s, tk, vh, ld, 0f, ch, hidden);
                        for (var i = 0; i < m; i++)
                        {
                            var outputRow = ch.Slice(i * hidden, headSize);
                            TensorPrimitives.Multiply(outputRow, inverse[i], outputRow);
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(scratch);
                }
            });
        }
    }

    /// <summary>n when the mask is n ones followed only by zeros and n &gt; 0; −1 otherwise.</summary>
    private static int KeptPrefix(ReadOnlySpan<int> mask)
    {
        var n = 0;
        while (n < mask.Length && mask[n] != 0) n++;
        for (var j = n; j < mask.Length; j++)
            if (mask[j] != 0) return -1;
        return n == 0 ? -1 : n;
    }
}
