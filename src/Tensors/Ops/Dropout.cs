using System.Numerics.Tensors;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Inverted dropout: zero with probability p, scale kept entries by 1/(1−p); identity when not training or p = 0.</summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability must be in [0, 1), got {p}");
        if (!training || p == 0) return x;
        // The mask holds the factor each entry is multiplied by: 0 or 1/(1 − p).
        var mask = new float[x.Size];
        FillDropoutMask(mask, p, rng);
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Data, mask, y.Data);
        return Autograd.Record(y, [x], () =>
        {
            var dx = x.GradSpan();
            TensorPrimitives.MultiplyAdd(y.Grad!, mask, dx, dx);   // dx += dy ⊙ mask
        });
    }

    /// <summary>mask[i] = 0 with probability p, else 1/(1 − p); one uniform draw per entry, in order.</summary>
    internal static void FillDropoutMask(Span<float> mask, float p, Rng rng)
    {
        var keep = 1f / (1f - p);
        for (var i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() < p ? 0f : keep;
    }
}
