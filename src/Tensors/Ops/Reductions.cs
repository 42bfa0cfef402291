using System.Numerics.Tensors;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Sum of all entries → shape [1].</summary>
    public static Tensor Sum(Tensor x)
    {
        var y = Tensor.Scalar(SumDouble(x.Data));
        return Autograd.Record(y, [x], () =>
        {
            var dx = x.GradBuffer(out var fresh);
            if (fresh) Array.Fill(dx, y.Grad![0]);
            else TensorPrimitives.Add(dx, y.Grad![0], dx);   // dx += dy
        });
    }

    /// <summary>Mean of all entries → shape [1] (NaN for an empty tensor, as torch).</summary>
    public static Tensor Mean(Tensor x)
    {
        var y = Tensor.Scalar(x.Size == 0 ? float.NaN : SumDouble(x.Data) / x.Size);
        return Autograd.Record(y, [x], () =>
        {
            var dx = x.GradBuffer(out var fresh);
            if (fresh) Array.Fill(dx, y.Grad![0] / x.Size);
            else TensorPrimitives.Add(dx, y.Grad![0] / x.Size, dx);   // dx += dy/N
        });
    }

    /// <summary>Sum along dim.</summary>
    public static Tensor Sum(Tensor x, int dim, bool keepDim = false) => ReduceAxis(x, dim, keepDim, mean: false);

    /// <summary>Mean along dim.</summary>
    public static Tensor Mean(Tensor x, int dim, bool keepDim = false) => ReduceAxis(x, dim, keepDim, mean: true);

    /// <summary>Max along dim (gradient to the first arg-max).</summary>
    public static Tensor Max(Tensor x, int dim, bool keepDim = false)
    {
        var (outer, n, inner, shape) = AxisSplit(x, dim, keepDim, "Max");
        if (n == 0) throw new ArgumentException($"Max over dim {dim} of size 0 in {Shapes.Format(x.Shape)}");
        var y = Tensor.Zeros(shape);
        var argMax = new int[outer * inner];
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                var best = 0;
                var bestValue = x.Data[o * n * inner + i];
                for (var j = 1; j < n; j++)
                {
                    var v = x.Data[(o * n + j) * inner + i];
                    // NaN wins like torch.max; otherwise strictly greater keeps the first arg-max.
                    if (v > bestValue || (float.IsNaN(v) && !float.IsNaN(bestValue))) { best = j; bestValue = v; }
                }
                argMax[o * inner + i] = best;
                y.Data[o * inner + i] = bestValue;
            }
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradSpan();
            for (var o = 0; o < outer; o++)
                for (var i = 0; i < inner; i++)
                    dx[(o * n + argMax[o * inner + i]) * inner + i] += dy[o * inner + i];
        });
    }

    private static Tensor ReduceAxis(Tensor x, int dim, bool keepDim, bool mean)
    {
        var (outer, n, inner, shape) = AxisSplit(x, dim, keepDim, mean ? "Mean" : "Sum");
        var y = Tensor.Zeros(shape);
        var factor = mean ? 1f / n : 1f;
        for (var o = 0; o < outer; o++)
        {
            var dst = y.Data.AsSpan(o * inner, inner);
            for (var j = 0; j < n; j++) TensorPrimitives.Add(dst, x.Data.AsSpan((o * n + j) * inner, inner), dst);
            if (mean) TensorPrimitives.Multiply(dst, factor, dst);
        }
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradBuffer(out var fresh);
            // dx[o, j, i] += factor·dy[o, i]; every entry once, so a fresh buffer is written.
            for (var o = 0; o < outer; o++)
                for (var j = 0; j < n; j++)
                {
                    var d = dx.AsSpan((o * n + j) * inner, inner);
                    if (fresh) TensorPrimitives.Multiply(dy.AsSpan(o * inner, inner), factor, d);
                    else TensorPrimitives.MultiplyAdd(dy.AsSpan(o * inner, inner), factor, d, d);
                }
        });
    }

    /// <summary>x viewed as (outer, n, inner) around <paramref name="dim"/>, and the reduced shape.</summary>
    private static (int Outer, int N, int Inner, int[] Shape) AxisSplit(Tensor x, int dim, bool keepDim, string op)
    {
        var d = NormalizeDim(dim, x.Rank, op);
        var outer = Shapes.Size(x.Shape.AsSpan(0, d));
        var inner = Shapes.Size(x.Shape.AsSpan(d + 1));
        var shape = keepDim
            ? x.Shape.Select((s, i) => i == d ? 1 : s).ToArray()
            : x.Shape.Where((_, i) => i != d).ToArray();
        return (outer, x.Shape[d], inner, shape);
    }

    private static int NormalizeDim(int dim, int rank, string op)
    {
        var d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dim {dim} is out of range for a tensor of rank {rank}");
        return d;
    }

    private static float SumDouble(ReadOnlySpan<float> x)
    {
        // Pairwise-ish: float sums of 4096-blocks added in double keep long sums accurate.
        double total = 0;
        for (var i = 0; i < x.Length; i += 4096) total += TensorPrimitives.Sum(x.Slice(i, Math.Min(4096, x.Length - i)));
        return (float)total;
    }
}
