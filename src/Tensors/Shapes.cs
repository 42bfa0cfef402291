namespace CogLtx.Tensors;

/// <summary>Shape arithmetic shared by tensors and kernels.</summary>
public static class Shapes
{
    /// <summary>Number of elements of a tensor of this shape.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d} in shape [{string.Join(", ", shape.ToArray())}]");
            size *= d;
            if (size > Array.MaxLength) throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] is too large");
        }
        return (int)size;
    }

    /// <summary>Row-major strides of a contiguous tensor.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>Row-major offset of <paramref name="index"/> in a tensor of <paramref name="shape"/>.</summary>
    public static int Offset(int[] shape, int[] index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"index of rank {index.Length} for a tensor of rank {shape.Length}");
        var offset = 0;
        for (var i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
                throw new IndexOutOfRangeException($"index {index[i]} out of range for dimension {i} of size {shape[i]}");
            offset = offset * shape[i] + index[i];
        }
        return offset;
    }

    /// <summary>The shape as <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>True when both shapes have the same dimensions.</summary>
    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
