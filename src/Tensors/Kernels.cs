using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

/// <summary>An element-wise function with a scalar and a Vector512 form (TensorPrimitives' operator pattern).</summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise function of two inputs with a scalar and a Vector512 form.</summary>
internal interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>Drivers that run a fused operator over spans: Vector512 body, scalar tail.</summary>
internal static class Kernels
{
    /// <summary>destination[i] = Op(x[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : IUnaryOperator
    {
        if (destination.Length < x.Length) throw new ArgumentException("destination is shorter than the input");
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref var xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            ref var dr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < x.Length; i++) destination[i] = TOp.Invoke(x[i]);
    }

    /// <summary>destination[i] += Op(x[i], y[i]) when accumulating (gradients), else destination[i] = Op(x[i], y[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, bool accumulate) where TOp : IBinaryOperator
    {
        if (y.Length != x.Length || destination.Length < x.Length) throw new ArgumentException("span lengths differ");
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref var xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            ref var yr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            ref var dr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i));
                if (accumulate) v += Vector512.LoadUnsafe(ref dr, (nuint)i);
                v.StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < x.Length; i++) destination[i] = TOp.Invoke(x[i], y[i]) + (accumulate ? destination[i] : 0f);
    }
}

internal static partial class RowKernels
{
    /// <summary>y[i] = e^(x[i] − shift); returns Σ y (one fused pass, accumulated in float lanes; e^ in single precision, <see cref="FloatExp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float ExpSubtractSum(ReadOnlySpan<float> x, float shift, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination is shorter than the input");
        var i = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            ref var xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            ref var yr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
            var vs = Vector512.Create(shift);
            var acc = Vector512<float>.Zero;
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = FloatExp.Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - vs);
                e.StoreUnsafe(ref yr, (nuint)i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            y[i] = MathF.Exp(x[i] - shift);
            sum += y[i];
        }
        return sum;
    }
}

/// <summary>
/// Φ(x), the standard normal CDF, as ½·erfc(−x/√2) with the Chebyshev-fitted erfc of Numerical Recipes
/// (erfcc: relative error &lt; 1.2e-7 everywhere), so Φ is accurate in the tails as well as near 1. The vector form
/// takes its exponential in single precision (<see cref="FloatExp"/>), as softmax does.
/// </summary>
internal static class NormalCdf
{
    private const float InvSqrt2 = 0.70710678118654752f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Phi(float x)
    {
        var z = MathF.Abs(x) * InvSqrt2;
        var t = 1f / (1f + 0.5f * z);
        var e = t * MathF.Exp(-z * z + Poly(t));
        return x >= 0 ? 1f - 0.5f * e : 0.5f * e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Phi(Vector512<float> x)
    {
        var z = Vector512.Abs(x) * Vector512.Create(InvSqrt2);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(0.5f) * z);
        var half = Vector512.Create(0.5f) * t * FloatExp.Exp(Poly(t) - z * z);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One - half, half);
    }

    // −1.26551223 + t·(1.00002368 + t·(0.37409196 + … + t·0.17087277)), Horner form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Poly(float t) =>
        -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
        + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Poly(Vector512<float> t)
    {
        var p = Vector512.Create(0.17087277f);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-0.82215223f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.48851587f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.13520398f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.27886807f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-0.18628806f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.09678418f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.37409196f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1.00002368f));
        return Vector512.FusedMultiplyAdd(p, t, Vector512.Create(-1.26551223f));
    }
}
