using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Softmax over the last axis: y = e^(x − max x)/Σ e^(x − max x).</summary>
    public static Tensor Softmax(Tensor x)
    {
        var c = LastDim(x, "Softmax");
        var y = Tensor.Empty(x.Shape);
        var rows = x.Size / Math.Max(1, c);
        Parallelism.For(rows, 8L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (var r = s; r < e; r++) SoftmaxRow(x.Data.AsSpan(r * c, c), y.Data.AsSpan(r * c, c));
        });
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradBuffer(out var fresh);
            // dx += y ⊙ (dy − Σ dy·y)
            Parallelism.For(rows, 4L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                for (var r = s; r < e; r++) SoftmaxRowBackward(y.Data.AsSpan(r * c, c), dy.AsSpan(r * c, c), dx.AsSpan(r * c, c), !fresh);
            });
        });
    }

    /// <summary>Log-softmax over the last axis: y = x − max x − log Σ e^(x − max x).</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        var c = LastDim(x, "LogSoftmax");
        var y = Tensor.Empty(x.Shape);
        var rows = x.Size / Math.Max(1, c);
        Parallelism.For(rows, 8L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (var r = s; r < e; r++) LogSoftmaxRow(x.Data.AsSpan(r * c, c), y.Data.AsSpan(r * c, c));
        });
        return Autograd.Record(y, [x], () =>
        {
            var dy = y.Grad!;
            var dx = x.GradBuffer(out var fresh);
            for (var r = 0; r < rows; r++)
            {
                // dx += dy − e^y·Σ dy
                var yr = y.Data.AsSpan(r * c, c);
                var dyr = dy.AsSpan(r * c, c);
                var dxr = dx.AsSpan(r * c, c);
                var sum = TensorPrimitives.Sum(dyr);
                for (var i = 0; i < c; i++) dxr[i] = dyr[i] - MathF.Exp(yr[i]) * sum + (fresh ? 0f : dxr[i]);
            }
        });
    }

    /// <summary>
    /// One row of softmax, max-subtracted. A row whose entries all carry float.MinValue stays finite: the max
    /// is then about float.MinValue too, the differences are small, and the row comes out (near) uniform, as in torch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return;
        var max = TensorPrimitives.Max(x);
        var sum = RowKernels.ExpSubtractSum(x, max, y);
        TensorPrimitives.Multiply(y, 1f / sum, y);
    }

    /// <summary>dx (+)= y ⊙ (dy − Σ dy·y) for one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SoftmaxRowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        var dot = TensorPrimitives.Dot(dy, y);
        if (!accumulate)
        {
            TensorPrimitives.Subtract(dy, dot, dx);
            TensorPrimitives.Multiply(dx, y, dx);
            return;
        }
        for (var i = 0; i < y.Length; i++) dx[i] += y[i] * (dy[i] - dot);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return;
        var max = TensorPrimitives.Max(x);
        var sum = RowKernels.ExpSubtractSum(x, max, y);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Subtract(y, MathF.Log(sum), y);
    }

    private static int LastDim(Tensor x, string op)
    {
        if (x.Rank == 0) throw new ArgumentException($"{op} needs a tensor of rank ≥ 1");
        return x.Dim(-1);
    }
}
