namespace CogLtx.Tensors;

/// <summary>
/// NumPy broadcasting of two shapes, reduced to rows: size-1 output axes are dropped and adjacent axes
/// that both operands walk contiguously are merged, so the innermost loop is as long as possible and each
/// operand's inner stride is 1 (walks) or 0 (repeats one value).
/// </summary>
internal sealed class Broadcast
{
    private readonly int[] dims;
    private readonly int[] aStrides;
    private readonly int[] bStrides;

    public Broadcast(int[] aShape, int[] bShape)
    {
        var rank = Math.Max(aShape.Length, bShape.Length);
        OutShape = new int[rank];
        var aFull = Align(aShape, rank);
        var bFull = Align(bShape, rank);
        for (var i = 0; i < rank; i++)
        {
            if (aFull[i] != bFull[i] && aFull[i] != 1 && bFull[i] != 1)
                throw new ArgumentException($"shapes {Shapes.Format(aShape)} and {Shapes.Format(bShape)} do not broadcast (axis {i}: {aFull[i]} vs {bFull[i]})");
            OutShape[i] = aFull[i] == 1 ? bFull[i] : aFull[i];
        }
        var aContig = Shapes.Strides(aFull);
        var bContig = Shapes.Strides(bFull);
        var d = new List<int>();
        var sa = new List<int>();
        var sb = new List<int>();
        for (var i = 0; i < rank; i++)
        {
            if (OutShape[i] == 1) continue;
            var strideA = aFull[i] == 1 ? 0 : aContig[i];
            var strideB = bFull[i] == 1 ? 0 : bContig[i];
            if (d.Count > 0 && sa[^1] == strideA * OutShape[i] && sb[^1] == strideB * OutShape[i])
            {
                d[^1] *= OutShape[i];
                sa[^1] = strideA;
                sb[^1] = strideB;
                continue;
            }
            d.Add(OutShape[i]);
            sa.Add(strideA);
            sb.Add(strideB);
        }
        if (d.Count == 0) { d.Add(1); sa.Add(0); sb.Add(0); }
        dims = [.. d];
        aStrides = [.. sa];
        bStrides = [.. sb];
        Inner = dims[^1];
        AInnerStride = aStrides[^1];
        BInnerStride = bStrides[^1];
        Rows = Shapes.Size(OutShape) / Math.Max(1, Inner);
        if (Shapes.Size(OutShape) == 0) Rows = 0;
        ABroadcast = Shapes.Size(aShape) != Shapes.Size(OutShape);
        BBroadcast = Shapes.Size(bShape) != Shapes.Size(OutShape);
    }

    public int[] OutShape { get; }

    /// <summary>Length of the innermost (merged) loop.</summary>
    public int Inner { get; }

    /// <summary>Number of inner loops.</summary>
    public int Rows { get; }

    /// <summary>1 when a walks along the inner loop, 0 when it repeats one value.</summary>
    public int AInnerStride { get; }

    public int BInnerStride { get; }

    /// <summary>True when some axis repeats a (its gradient must be summed over that axis).</summary>
    public bool ABroadcast { get; }

    public bool BBroadcast { get; }

    /// <summary>Start offsets in a and b of inner loop <paramref name="row"/> (the output's is row·Inner).</summary>
    public void Offsets(int row, out int a, out int b)
    {
        a = 0;
        b = 0;
        for (var i = dims.Length - 2; i >= 0; i--)
        {
            var idx = row % dims[i];
            row /= dims[i];
            a += idx * aStrides[i];
            b += idx * bStrides[i];
        }
    }

    private static int[] Align(int[] shape, int rank)
    {
        var full = new int[rank];
        Array.Fill(full, 1);
        shape.CopyTo(full, rank - shape.Length);
        return full;
    }
}
