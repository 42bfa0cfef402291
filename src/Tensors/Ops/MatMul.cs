namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>a (..., M, K) · b (..., K, N) → (..., M, N); leading dims broadcast (b may be 2-D). transA/transB read the operand's last two axes transposed without materialising it.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false) => throw new NotImplementedException();

    /// <summary>torch.nn.functional.linear: x (..., in) · weightᵀ (weight is (out, in)) + bias (out) → (..., out).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) => throw new NotImplementedException();
}
