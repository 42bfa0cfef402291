namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Softmax over the last axis.</summary>
    public static Tensor Softmax(Tensor x) => throw new NotImplementedException();

    /// <summary>Log-softmax over the last axis.</summary>
    public static Tensor LogSoftmax(Tensor x) => throw new NotImplementedException();
}
