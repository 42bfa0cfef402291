using System.Numerics.Tensors;

namespace CogLtx.Tensors;

public static partial class Ops
{
    /// <summary>Rows of weight (V, C) picked by ids (shape idsShape) → idsShape + [C]. The gradient is added only into the rows used; rows equal to paddingIdx get none (torch padding_idx).</summary>
    public static Tensor Embedding(Tensor weight, int[] ids, int[] idsShape, int paddingIdx = -1)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Embedding: weight {weight.Name} must be (V, C), got {Shapes.Format(weight.Shape)}");
        if (Shapes.Size(idsShape) != ids.Length)
            throw new ArgumentException($"Embedding: {ids.Length} ids do not fill shape {Shapes.Format(idsShape)}");
        var (v, c) = (weight.Shape[0], weight.Shape[1]);
        for (var i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(ids), $"Embedding: id {ids[i]} at position {i} is outside the table of {v} rows ({weight.Name})");
        var y = Tensor.Empty([.. idsShape, c]);
        for (var i = 0; i < ids.Length; i++) weight.Data.AsSpan(ids[i] * c, c).CopyTo(y.Data.AsSpan(i * c, c));
        var idsCopy = (int[])ids.Clone();
        return Autograd.Record(y, [weight], () =>
        {
            var dy = y.Grad!;
            var dw = weight.GradSpan();
            for (var i = 0; i < idsCopy.Length; i++)
            {
                if (idsCopy[i] == paddingIdx) continue;   // torch: the padding row never receives gradient
                var row = dw.Slice(idsCopy[i] * c, c);
                TensorPrimitives.Add(row, dy.AsSpan(i * c, c), row);
            }
        });
    }
}
