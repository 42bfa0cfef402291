namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Sum of all entries → shape [1].</summary>
    public static Tensor Sum(Tensor x) => throw new NotImplementedException();

    /// <summary>Mean of all entries → shape [1].</summary>
    public static Tensor Mean(Tensor x) => throw new NotImplementedException();

    /// <summary>Sum along dim.</summary>
    public static Tensor Sum(Tensor x, int dim, bool keepDim = false) => throw new NotImplementedException();

    /// <summary>Mean along dim.</summary>
    public static Tensor Mean(Tensor x, int dim, bool keepDim = false) => throw new NotImplementedException();

    /// <summary>Max along dim (gradient to the first arg-max).</summary>
    public static Tensor Max(Tensor x, int dim, bool keepDim = false) => throw new NotImplementedException();
}
