namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Same storage, new shape; one dimension may be −1 (inferred).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape) => throw new NotImplementedException();

    /// <summary>Reorders the axes (a copy).</summary>
    public static Tensor Permute(Tensor x, params int[] dims) => throw new NotImplementedException();

    public static Tensor Transpose(Tensor x, int dim0, int dim1) => throw new NotImplementedException();

    /// <summary>x[..., start:start+length, ...] along dim (a copy).</summary>
    public static Tensor Slice(Tensor x, int dim, int start, int length) => throw new NotImplementedException();

    /// <summary>Concatenation along dim.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int dim) => throw new NotImplementedException();

    /// <summary>Entries of x at the given indices along dim (torch.index_select); repeated indices accumulate gradient.</summary>
    public static Tensor IndexSelect(Tensor x, int dim, int[] indices) => throw new NotImplementedException();

    /// <summary>out[..., i] = x[..., index[..., i]] along the last axis (torch.gather on dim −1); index has x's leading shape.</summary>
    public static Tensor Gather(Tensor x, int[] index, int[] indexShape) => throw new NotImplementedException();
}
