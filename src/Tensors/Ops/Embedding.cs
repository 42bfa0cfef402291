namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Rows of weight (V, C) picked by ids (shape idsShape) → idsShape + [C]. The gradient is added only into the rows used; rows equal to paddingIdx get none (torch padding_idx).</summary>
    public static Tensor Embedding(Tensor weight, int[] ids, int[] idsShape, int paddingIdx = -1) => throw new NotImplementedException();
}
