using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

/// <summary>The element-wise function applied after a dense layer's bias (transformers' <c>hidden_act</c>).</summary>
public enum FusedActivation
{
    /// <summary>Exact erf GELU, as <see cref="Ops.Gelu"/>.</summary>
    Gelu,
    /// <summary>max(x, 0), as <see cref="Ops.Relu"/>.</summary>
    Relu,
    /// <summary>tanh(x), as <see cref="Ops.Tanh"/>.</summary>
    Tanh,
    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), transformers' <c>NewGELUActivation</c>.</summary>
    GeluTanh,
}

public static unsafe partial class Fused
{
    /// <summary>
    /// Rows of x (rows × n, in place) become act(x + bias): a dense layer's bias and activation in one pass while
    /// the row is in cache (transformers <c>BertIntermediate</c> after its matmul). Rows run in parallel.
    /// </summary>
    public static void BiasActivation(Span<float> x, int rows, ReadOnlySpan<float> bias, FusedActivation activation)
    {
        var n = bias.Length;
        if (x.Length < (long)rows * n) throw new ArgumentException($"bias+activation: {rows} rows of {n} need {(long)rows * n} elements, span has {x.Length}");
        fixed (float* px = x)
        fixed (float* pb = bias)
        {
            nint ix = (nint)px, ib = (nint)pb;
            Parallelism.For(rows, 24L * n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var b = new ReadOnlySpan<float>((float*)ib, n);
                for (var r = s; r < e; r++)
                {
                    var row = new Span<float>((float*)ix + (nint)r * n, n);
                    switch (activation)
                    {
                        case FusedActivation.Gelu: BiasGeluRow(row, b); break;
                        case FusedActivation.Relu: TensorPrimitives.Add(row, b, row); TensorPrimitives.Max(row, 0f, row); break;
                        case FusedActivation.Tanh: TensorPrimitives.Add(row, b, row); TensorPrimitives.Tanh(row, row); break;
                        default: TensorPrimitives.Add(row, b, row); GeluTanhRow(row); break;
                    }
                }
            });
        }
    }

    /// <summary>
    /// Rows of x (rows × n, in place) become LayerNorm(x + bias + residual)·weight + layerBias: the end of
    /// transformers <c>BertSelfOutput</c> and <c>BertOutput</c> (dense bias, dropout as identity, residual, LayerNorm)
    /// in one pass per row. Rows run in parallel.
    /// </summary>
    public static void BiasResidualLayerNorm(Span<float> x, int rows, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> layerBias, float eps)
    {
        var n = bias.Length;
        var size = (long)rows * n;
        if (x.Length < size || residual.Length < size)
            throw new ArgumentException($"bias+residual+LayerNorm: {rows} rows of {n} need {size} elements (x {x.Length}, residual {residual.Length})");
        if (weight.Length != n || layerBias.Length != n)
            throw new ArgumentException($"bias+residual+LayerNorm: weight {weight.Length} and bias {layerBias.Length} must both be {n}");
        fixed (float* px = x)
        fixed (float* pr = residual)
        fixed (float* pb = bias)
        fixed (float* pw = weight)
        fixed (float* pl = layerBias)
        {
            nint ix = (nint)px, ir = (nint)pr, ib = (nint)pb, iw = (nint)pw, il = (nint)pl;
            Parallelism.For(rows, 8L * n, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var b = new ReadOnlySpan<float>((float*)ib, n);
                var w = new ReadOnlySpan<float>((float*)iw, n);
                var lb = new ReadOnlySpan<float>((float*)il, n);
                for (var r = s; r < e; r++)
                {
                    var row = new Span<float>((float*)ix + (nint)r * n, n);
                    TensorPrimitives.Add(row, b, row);
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)ir + (nint)r * n, n), row);
                    Ops.LayerNormRow(row, w, lb, eps, row, out _, out _);
                }
            });
        }
    }

    /// <summary>Every row of x (rows × ld) gets bias (length n ≤ ld) copied into columns [0, n): the start value of a GEMM with beta = 1.</summary>
    public static void FillRows(Span<float> x, int rows, int ld, ReadOnlySpan<float> bias)
    {
        var n = bias.Length;
        if (n > ld || (rows > 0 && x.Length < (long)(rows - 1) * ld + n))
            throw new ArgumentException($"fill rows: {rows} rows of stride {ld} cannot hold {n} columns in {x.Length} elements");
        for (var r = 0; r < rows; r++) bias.CopyTo(x.Slice(r * ld, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BiasGeluRow(Span<float> x, ReadOnlySpan<float> bias)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref var xr = ref MemoryMarshal.GetReference(x);
            ref var br = ref MemoryMarshal.GetReference(bias);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i) + Vector512.LoadUnsafe(ref br, (nuint)i);
                (v * NormalCdf.Phi(v)).StoreUnsafe(ref xr, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i] + bias[i];
            x[i] = v * NormalCdf.Phi(v);
        }
    }

    /// <summary>In the order <c>Activation.GeluTanh</c> composes it from engine ops.</summary>
    private static void GeluTanhRow(Span<float> x)
    {
        var c = MathF.Sqrt(2f / MathF.PI);
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            var x3 = v * v * v;
            x[i] = 0.5f * v * (MathF.Tanh((v + x3 * 0.044715f) * c) + 1f);
        }
    }
}
