using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static unsafe partial class Fused
{
    /// <summary>
    /// Row i of <paramref name="output"/> (N × C) becomes LayerNorm((words[ids[i]] + types[typeIds[i]]) + positions[positionIds[i]]):
    /// transformers <c>BertEmbeddings.forward</c> in eval mode (dropout the identity) in one pass per row, in the
    /// order the autograd path adds them. Tables are (rows × C) row-major; ids must already be checked against
    /// their tables (this kernel does not). Rows run in parallel.
    /// </summary>
    public static void EmbeddingSumLayerNorm(ReadOnlySpan<float> words, ReadOnlySpan<int> ids, ReadOnlySpan<float> types, ReadOnlySpan<int> typeIds,
        ReadOnlySpan<float> positions, ReadOnlySpan<int> positionIds, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float eps, Span<float> output)
    {
        var c = weight.Length;
        var n = ids.Length;
        if (typeIds.Length != n || positionIds.Length != n)
            throw new ArgumentException($"embeddings: {n} ids, {typeIds.Length} token types and {positionIds.Length} positions must agree");
        if (bias.Length != c || output.Length < (long)n * c)
            throw new ArgumentException($"embeddings: bias {bias.Length} must be {c} and the output needs {(long)n * c} elements (has {output.Length})");
        fixed (float* pw = words)
        fixed (float* pt = types)
        fixed (float* pp = positions)
        fixed (int* pi = ids)
        fixed (int* pti = typeIds)
        fixed (int* ppi = positionIds)
        fixed (float* pg = weight)
        fixed (float* pb = bias)
        fixed (float* po = output)
        {
            nint iw = (nint)pw, it = (nint)pt, ip = (nint)pp, ii = (nint)pi, iti = (nint)pti, ipi = (nint)ppi, ig = (nint)pg, ib = (nint)pb, io = (nint)po;
            Parallelism.For(n, 8L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var g = new ReadOnlySpan<float>((float*)ig, c);
                var b = new ReadOnlySpan<float>((float*)ib, c);
                for (var r = s; r < e; r++)
                {
                    var row = new Span<float>((float*)io + (nint)r * c, c);
                    TensorPrimitives.Add(new ReadOnlySpan<float>((float*)iw + (nint)((int*)ii)[r] * c, c), new ReadOnlySpan<float>((float*)it + (nint)((int*)iti)[r] * c, c), row);
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)ip + (nint)((int*)ipi)[r] * c, c), row);
                    Ops.LayerNormRow(row, g, b, eps, row, out _, out _);
                }
            });
        }
    }
}
