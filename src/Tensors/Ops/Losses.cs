using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>torch.nn.functional.cross_entropy: logits (N, C), targets (N); mean over targets ≠ ignoreIndex (NaN if all are ignored, as torch).</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, int ignoreIndex = -100)
    {
        var (n, c) = CheckClassification(logits, targets, ignoreIndex, "CrossEntropy");
        var count = targets.Count(t => t != ignoreIndex);
        var rowLoss = RowLosses(logits, targets, ignoreIndex, n, c);
        double total = 0;
        foreach (var l in rowLoss) total += l;
        // 0/0 = NaN when every target is ignored, exactly torch's mean reduction; the gradient is then 0.
        var y = Tensor.Scalar(count == 0 ? float.NaN : (float)(total / count));
        var t = (int[])targets.Clone();
        return Autograd.Record(y, [logits], () =>
        {
            if (count == 0) return;
            var scale = y.Grad![0] / count;
            logits.GradSpan();
            var dx = logits.Grad!;
            Parallelism.For(n, 4L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                for (var r = s; r < e; r++)
                    if (t[r] != ignoreIndex) AddSoftmaxMinusOneHot(logits.Data.AsSpan(r * c, c), t[r], scale, dx.AsSpan(r * c, c));
            });
        });
    }

    /// <summary>Per-row cross-entropy, no reduction: (N). Ignored rows give 0.</summary>
    public static Tensor CrossEntropyPerRow(Tensor logits, int[] targets, int ignoreIndex = -100)
    {
        var (n, c) = CheckClassification(logits, targets, ignoreIndex, "CrossEntropyPerRow");
        var y = new Tensor(RowLosses(logits, targets, ignoreIndex, n, c), n);
        var t = (int[])targets.Clone();
        return Autograd.Record(y, [logits], () =>
        {
            var dy = y.Grad!;
            logits.GradSpan();
            var dx = logits.Grad!;
            Parallelism.For(n, 4L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                for (var r = s; r < e; r++)
                    if (t[r] != ignoreIndex) AddSoftmaxMinusOneHot(logits.Data.AsSpan(r * c, c), t[r], dy[r], dx.AsSpan(r * c, c));
            });
        });
    }

    /// <summary>BCE with logits, stable form max(x,0) − x·y + log(1 + e^(−|x|)); mean over entries, or Σ(loss·mask)/Σmask when mask is given.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? mask = null)
    {
        if (!Shapes.SameShape(logits.Shape, targets.Shape))
            throw new ArgumentException($"BceWithLogits: targets {Shapes.Format(targets.Shape)} must have the logits' shape {Shapes.Format(logits.Shape)}");
        if (mask is not null && !Shapes.SameShape(logits.Shape, mask.Shape))
            throw new ArgumentException($"BceWithLogits: mask {Shapes.Format(mask.Shape)} must have the logits' shape {Shapes.Format(logits.Shape)}");
        var (x, z) = (logits.Data, targets.Data);
        double total = 0, weight = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var m = mask?.Data[i] ?? 1f;
            var loss = MathF.Max(x[i], 0) - x[i] * z[i] + MathF.Log(1f + MathF.Exp(-MathF.Abs(x[i])));
            total += (double)loss * m;
            weight += m;
        }
        // Σ mask = 0 gives 0/0 = NaN, as torch's masked mean would.
        var y = Tensor.Scalar((float)(total / weight));
        var denominator = (float)weight;
        return Autograd.Record(y, [logits, targets], () =>
        {
            var g = y.Grad![0] / denominator;
            // d/dx = (σ(x) − y)·m·g, d/dy = −x·m·g
            if (logits.RequiresGrad)
            {
                var dx = logits.GradSpan();
                for (var i = 0; i < x.Length; i++) dx[i] += (SigmoidScalar(x[i]) - z[i]) * (mask?.Data[i] ?? 1f) * g;
            }
            if (targets.RequiresGrad)
            {
                var dz = targets.GradSpan();
                for (var i = 0; i < x.Length; i++) dz[i] -= x[i] * (mask?.Data[i] ?? 1f) * g;
            }
        });
    }

    private static float SigmoidScalar(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    /// <summary>−log softmax(row)[target] per row (0 for ignored rows), rows in parallel: vocabularies make rows long.</summary>
    private static float[] RowLosses(Tensor logits, int[] targets, int ignoreIndex, int n, int c)
    {
        var losses = new float[n];
        Parallelism.For(n, 4L * c, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            var scratch = ArrayPool<float>.Shared.Rent(c);
            try
            {
                for (var r = s; r < e; r++)
                    if (targets[r] != ignoreIndex) losses[r] = -LogProbability(logits.Data.AsSpan(r * c, c), targets[r], scratch.AsSpan(0, c));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
        return losses;
    }

    /// <summary>log softmax(row)[target] = row[target] − max − log Σ e^(row − max).</summary>
    private static float LogProbability(ReadOnlySpan<float> row, int target, Span<float> scratch)
    {
        var max = TensorPrimitives.Max(row);
        var sum = RowKernels.ExpSubtractSum(row, max, scratch);
        return row[target] - max - MathF.Log(sum);
    }

    /// <summary>dx += scale·(softmax(row) − onehot(target)).</summary>
    private static void AddSoftmaxMinusOneHot(ReadOnlySpan<float> row, int target, float scale, Span<float> dx)
    {
        var scratch = ArrayPool<float>.Shared.Rent(row.Length);
        try
        {
            var p = scratch.AsSpan(0, row.Length);
            var max = TensorPrimitives.Max(row);
            var sum = RowKernels.ExpSubtractSum(row, max, p);
            TensorPrimitives.MultiplyAdd(p, scale / sum, dx, dx);
            dx[target] -= scale;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static (int N, int C) CheckClassification(Tensor logits, int[] targets, int ignoreIndex, string op)
    {
        if (logits.Rank != 2) throw new ArgumentException($"{op}: logits must be (N, C), got {Shapes.Format(logits.Shape)}");
        var (n, c) = (logits.Shape[0], logits.Shape[1]);
        if (targets.Length != n) throw new ArgumentException($"{op}: {targets.Length} targets for {n} rows of logits {Shapes.Format(logits.Shape)}");
        for (var r = 0; r < n; r++)
            if (targets[r] != ignoreIndex && (uint)targets[r] >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), $"{op}: target {targets[r]} at row {r} is outside [0, {c}) and is not the ignore index {ignoreIndex}");
        return (n, c);
    }
}
