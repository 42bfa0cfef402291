using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

/// <summary>
/// e^x on 16 floats in single precision: x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two parts, as Cephes'
/// <c>expf</c>), e^r by Cephes' degree-7 polynomial (within about 1 ulp on that range), and 2^n built in the exponent
/// bits. <see cref="Vector512.Exp(Vector512{float})"/> computes in double precision; in its place the BERT-mini forward
/// ran 5–10% faster (docs/performance.md, "Softmax's exponential in single precision").
/// Outside [−87.34, 88.38], where 2^n would leave the normal range, the result is 0 below (e^x &lt; 1.2e-38 there) and
/// +∞ above (exact e^x overflows only from 88.72 on); NaN stays NaN. Softmax and cross-entropy call it on x − max ≤ 0.
/// </summary>
internal static class FloatExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float Lowest = -87.33654f;
    private const float Highest = 88.37626f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        var n = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = clamped - n * Vector512.Create(Ln2Hi) - n * Vector512.Create(Ln2Lo);
        var p = Vector512.Create(1.9875691500e-4f);
        p = p * r + Vector512.Create(1.3981999507e-3f);
        p = p * r + Vector512.Create(8.3334519073e-3f);
        p = p * r + Vector512.Create(4.1665795894e-2f);
        p = p * r + Vector512.Create(1.6666665459e-1f);
        p = p * r + Vector512.Create(5.0000001201e-1f);
        p = p * (r * r) + r + Vector512<float>.One;
        // 2^n for n in [−126, 127]: the biased exponent n + 127 shifted into place.
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        var y = p * scale;
        y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512<float>.Zero, y);
        y = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Highest)), Vector512.Create(float.PositiveInfinity), y);
        // Whatever Min/Max made of a NaN, the result for NaN is NaN.
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }
}
