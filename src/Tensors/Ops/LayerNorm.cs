using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Layer norm over the last axis: (x − μ)/√(σ² + eps)·weight + bias, biased variance (torch.nn.LayerNorm).</summary>
    public static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias, float eps)
    {
        var c = LastDim(x, "LayerNorm");
        if (weight.Size != c || bias.Size != c)
            throw new ArgumentException($"LayerNorm: input {Shapes.Format(x.Shape)} normalises {c} features, weight {weight.Name} is {Shapes.Format(weight.Shape)}, bias {bias.Name} is {Shapes.Format(bias.Shape)}");
        var rows = x.Size / Math.Max(1, c);
        var y = Tensor.Empty(x.Shape);
        // Cache for the backward pass: per-row mean and 1/√(σ² + eps).
        var mean = new float[rows];
        var rstd = new float[rows];
        Parallelism.For(rows, 6L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (var r = s; r < e; r++)
                LayerNormRow(x.Data.AsSpan(r * c, c), weight.Data, bias.Data, eps, y.Data.AsSpan(r * c, c), out mean[r], out rstd[r]);
        });
        return Autograd.Record(y, [x, weight, bias], () => LayerNormBackward(x, weight, bias, y.Grad!, mean, rstd, rows, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LayerNormRow(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, Span<float> y, out float mean, out float rstd)
    {
        var c = x.Length;
        mean = TensorPrimitives.Sum(x) / c;
        TensorPrimitives.Subtract(x, mean, y);                       // y = x − μ
        var variance = TensorPrimitives.SumOfSquares(y) / c;         // biased: divide by C
        rstd = 1f / MathF.Sqrt(variance + eps);
        TensorPrimitives.Multiply(y, rstd, y);                       // normalised
        TensorPrimitives.FusedMultiplyAdd(y, w, b, y);               // ·w + b
    }

    /// <summary>
    /// With n = (x − μ)·rstd and dn = dy ⊙ w (llm.c layernorm_backward):
    /// dbias += dy, dweight += n ⊙ dy, dx += rstd·(dn − mean(dn) − n·mean(dn ⊙ n)).
    /// </summary>
    /// <summary>Rows per dweight/dbias partial in backward: a fixed partition, so the sum is the same at any thread count.</summary>
    private const int RowsPerPartial = 32;

    private static void LayerNormBackward(Tensor x, Tensor weight, Tensor bias, float[] dy, float[] mean, float[] rstd, int rows, int c)
    {
        var fresh = false;
        var dx = x.RequiresGrad ? x.GradBuffer(out fresh) : null;
        var wantParams = weight.RequiresGrad || bias.RequiresGrad;
        // Deterministic at any thread count: rows fall into fixed blocks (not one chunk per thread), each block sums
        // its own dweight/dbias partial, and the partials are added in block order once every block is done.
        var blocks = (rows + RowsPerPartial - 1) / RowsPerPartial;
        var partialW = wantParams ? new float[blocks * c] : null;
        var partialB = wantParams ? new float[blocks * c] : null;
        Parallelism.For(blocks, 10L * c * RowsPerPartial, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (startBlock, endBlock) =>
        {
            var scratch = ArrayPool<float>.Shared.Rent(3 * c);
            try
            {
                var n = scratch.AsSpan(0, c);
                var dn = scratch.AsSpan(c, c);
                var tmp = scratch.AsSpan(2 * c, c);
                for (var block = startBlock; block < endBlock; block++)
                {
                    var dw = wantParams ? partialW.AsSpan(block * c, c) : default;
                    var db = wantParams ? partialB.AsSpan(block * c, c) : default;
                    for (var r = block * RowsPerPartial; r < Math.Min(rows, (block + 1) * RowsPerPartial); r++)
                    {
                        var dyr = dy.AsSpan(r * c, c);
                        TensorPrimitives.Subtract(x.Data.AsSpan(r * c, c), mean[r], n);
                        TensorPrimitives.Multiply(n, rstd[r], n);
                        if (wantParams)
                        {
                            TensorPrimitives.Add(db, dyr, db);
                            TensorPrimitives.MultiplyAdd(n, dyr, dw, dw);
                        }
                        if (dx is null) continue;
                        TensorPrimitives.Multiply(dyr, weight.Data, dn);
                        var dnMean = TensorPrimitives.Sum(dn) / c;
                        var dnNormMean = TensorPrimitives.Dot(dn, n) / c;
                        TensorPrimitives.MultiplyAdd(n, -dnNormMean, dn, tmp);   // dn − n·mean(dn ⊙ n)
                        TensorPrimitives.Subtract(tmp, dnMean, tmp);             //    − mean(dn)
                        var dxr = dx.AsSpan(r * c, c);
                        if (fresh) TensorPrimitives.Multiply(tmp, rstd[r], dxr);
                        else TensorPrimitives.MultiplyAdd(tmp, rstd[r], dxr, dxr);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
        if (!wantParams) return;
        for (var block = 0; block < blocks; block++)
        {
            if (weight.RequiresGrad)
            {
                var g = weight.GradSpan();
                TensorPrimitives.Add(g, partialW.AsSpan(block * c, c), g);
            }
            if (bias.RequiresGrad)
            {
                var g = bias.GradSpan();
                TensorPrimitives.Add(g, partialB.AsSpan(block * c, c), g);
            }
        }
    }
}
