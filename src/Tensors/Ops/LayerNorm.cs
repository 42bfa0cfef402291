using System.Buffers;
using System.Numerics.Tensors;

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
        Parallelism.For(rows, 6L * c, (s, e) =>
        {
            for (var r = s; r < e; r++)
                LayerNormRow(x.Data.AsSpan(r * c, c), weight.Data, bias.Data, eps, y.Data.AsSpan(r * c, c), out mean[r], out rstd[r]);
        });
        return Autograd.Record(y, [x, weight, bias], () => LayerNormBackward(x, weight, bias, y.Grad!, mean, rstd, rows, c));
    }

    private static void LayerNormRow(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, Span<float> y, out float mean, out float rstd)
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
    private static void LayerNormBackward(Tensor x, Tensor weight, Tensor bias, float[] dy, float[] mean, float[] rstd, int rows, int c)
    {
        var norm = ArrayPool<float>.Shared.Rent(c);
        var dnorm = ArrayPool<float>.Shared.Rent(c);
        try
        {
            var n = norm.AsSpan(0, c);
            var dn = dnorm.AsSpan(0, c);
            var dw = weight.RequiresGrad ? weight.GradSpan() : default;
            var db = bias.RequiresGrad ? bias.GradSpan() : default;
            var dx = x.RequiresGrad ? x.GradSpan() : default;
            for (var r = 0; r < rows; r++)
            {
                var dyr = dy.AsSpan(r * c, c);
                TensorPrimitives.Subtract(x.Data.AsSpan(r * c, c), mean[r], n);
                TensorPrimitives.Multiply(n, rstd[r], n);
                if (bias.RequiresGrad) TensorPrimitives.Add(db, dyr, db);
                if (weight.RequiresGrad) TensorPrimitives.MultiplyAdd(n, dyr, dw, dw);
                if (!x.RequiresGrad) continue;
                TensorPrimitives.Multiply(dyr, weight.Data, dn);
                var dnMean = TensorPrimitives.Sum(dn) / c;
                var dnNormMean = TensorPrimitives.Dot(dn, n) / c;
                var dxr = dx.Slice(r * c, c);
                for (var i = 0; i < c; i++) dxr[i] += rstd[r] * (dn[i] - dnMean - n[i] * dnNormMean);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(norm);
            ArrayPool<float>.Shared.Return(dnorm);
        }
    }
}
