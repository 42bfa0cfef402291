namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Layer norm over the last axis: (x − μ)/√(σ² + eps)·weight + bias, biased variance (torch.nn.LayerNorm).</summary>
    public static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias, float eps) => throw new NotImplementedException();
}
