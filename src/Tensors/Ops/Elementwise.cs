namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => throw new NotImplementedException();

    /// <summary>a − b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => throw new NotImplementedException();

    /// <summary>a ⊙ b with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => throw new NotImplementedException();

    /// <summary>s · x.</summary>
    public static Tensor Scale(Tensor x, float s) => throw new NotImplementedException();

    /// <summary>x + s.</summary>
    public static Tensor AddScalar(Tensor x, float s) => throw new NotImplementedException();
}
