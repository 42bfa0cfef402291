using System.Runtime.InteropServices;
using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>
/// One tensor to write into a safetensors file: its name, dtype string ("F32", "I64", …), shape and raw
/// little-endian bytes. Checked when written: the byte count must equal product(shape) · sizeof(dtype).
/// </summary>
public sealed record SafeTensorEntry(string Name, string Dtype, int[] Shape, byte[] Bytes)
{
    /// <summary>A float32 entry holding a copy of <paramref name="tensor"/>'s values.</summary>
    public static SafeTensorEntry FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new(name, SafeTensorDtypes.F32, (int[])tensor.Shape.Clone(), MemoryMarshal.AsBytes(tensor.Data.AsSpan()).ToArray());
    }

    /// <summary>An I64 entry (ids, labels, step counters).</summary>
    public static SafeTensorEntry FromInt64(string name, long[] values, int[] shape)
    {
        CheckCount(name, values.Length, shape);
        return new(name, SafeTensorDtypes.I64, (int[])shape.Clone(), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    /// <summary>An F64 entry (values that must keep double precision, such as learning rates).</summary>
    public static SafeTensorEntry FromFloat64(string name, double[] values, int[] shape)
    {
        CheckCount(name, values.Length, shape);
        return new(name, SafeTensorDtypes.F64, (int[])shape.Clone(), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private static void CheckCount(string name, int count, int[] shape)
    {
        var size = Shapes.Size(shape);
        if (size != count)
            throw new ArgumentException($"safetensors entry {name}: shape {Shapes.Format(shape)} needs {size} values, got {count}");
    }
}
