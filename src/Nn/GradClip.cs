using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>Gradient-norm utilities (torch.nn.utils.clip_grad_norm_, torch/nn/utils/clip_grad.py).</summary>
public static class GradClip
{
    /// <summary>
    /// Global L2 norm of all gradients, <c>‖(‖g_p‖₂)_p‖₂</c>; parameters without a gradient are skipped. NaN or
    /// ±∞ when a gradient is not finite.
    /// </summary>
    public static float TotalNorm(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sumOfSquares = 0;
        foreach (var p in parameters)
            if (p.Grad is { } g) sumOfSquares += TensorPrimitives.SumOfSquares<float>(g);
        return (float)Math.Sqrt(sumOfSquares);
    }

    /// <summary>
    /// Scales every gradient by <c>max_norm / (total + 1e-6)</c> when <c>total &gt; max_norm</c> and returns the
    /// total norm from before clipping. Deviation from torch, which multiplies the grads by NaN when the norm is
    /// not finite: here they are left as they are and the NaN/∞ norm is returned, so the caller (or
    /// <see cref="AdamW.Step"/>, which refuses non-finite gradients) sees the failure.
    /// </summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"max norm must be > 0, got {maxNorm}");
        var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
        var total = TotalNorm(list);
        if (!float.IsFinite(total)) return total;
        // torch: clip_coef = max_norm / (total + 1e-6), clamped to 1, computed in float32.
        var coef = (float)maxNorm / (total + 1e-6f);
        if (coef < 1f)
            foreach (var p in list)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g, coef, g);
        return total;
    }
}
