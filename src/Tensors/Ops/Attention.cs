namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Fused scaled-dot-product attention: softmax(q·kᵀ·scale + mask)·v with dropout on the probabilities.
    /// q (B, NH, Tq, HS), k and v (B, NH, Tk, HS); additiveMask broadcastable to (B, NH, Tq, Tk), usually (B, 1, 1, Tk).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? additiveMask, float scale, float dropoutP = 0f, Rng? rng = null) => throw new NotImplementedException();

    /// <summary>Additive mask from a 0/1 attention mask (B, T): 0 where 1, float.MinValue where 0; shape (B, 1, 1, T). No gradient.</summary>
    public static Tensor AdditiveMask(float[] attentionMask, int batch, int length) => throw new NotImplementedException();
}
