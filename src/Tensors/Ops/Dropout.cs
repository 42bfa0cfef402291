using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Inverted dropout: zero with probability p, scale kept entries by 1/(1−p); identity when not training or p = 0.</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability must be in [0, 1), got {p}");
        if (!training || p == 0) return x;
        // The mask holds the factor each entry is multiplied by: 0 or 1/(1 − p).
        var mask = BufferScope.Allocate(x.Size, zeroed: false);   // every entry is written below
        FillDropoutMask(mask, p, rng);
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Data, mask, y.Data);
        return Autograd.Record(y, [x], () =>
        {
            var dx = x.GradBuffer(out var fresh);
            if (fresh) TensorPrimitives.Multiply(y.Grad!, mask, dx);
            else TensorPrimitives.MultiplyAdd(y.Grad!, mask, dx, dx);   // dx += dy ⊙ mask
        });
    }

    /// <summary>
    /// mask[i] = 0 with probability p, else 1/(1 − p). Each 64-bit draw gives two entries: entry i is dropped
    /// when its 32-bit half u satisfies u &lt; p·2³², so P(drop) = p to within 2⁻³². Branch-free, since a
    /// data-dependent branch mispredicts on a fraction p of entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FillDropoutMask(Span<float> mask, float p, Rng rng)
    {
        var keep = 1f / (1f - p);
        var threshold = (ulong)Math.Round(p * 4294967296.0);
        var i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            var bits = rng.NextULong();
            mask[i] = Keep(bits & 0xFFFFFFFFUL, threshold, keep);
            mask[i + 1] = Keep(bits >> 32, threshold, keep);
        }
        if (i < mask.Length) mask[i] = Keep(rng.NextULong() & 0xFFFFFFFFUL, threshold, keep);
    }

    /// <summary>keep when u ≥ threshold, else 0: (u − threshold) wraps to a set top bit exactly when u &lt; threshold.</summary>
    private static float Keep(ulong u, ulong threshold, float keep) => keep * (1 - (int)((u - threshold) >> 63));
}
