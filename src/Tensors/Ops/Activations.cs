namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Exact GELU: x·Φ(x) = x/2·(1 + erf(x/√2)) (BERT's "gelu").</summary>
    public static Tensor Gelu(Tensor x) => throw new NotImplementedException();

    public static Tensor Tanh(Tensor x) => throw new NotImplementedException();

    public static Tensor Sigmoid(Tensor x) => throw new NotImplementedException();

    public static Tensor Relu(Tensor x) => throw new NotImplementedException();
}
