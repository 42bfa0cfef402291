using System.Buffers.Binary;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>
/// A safetensors file whose header has been read and validated (<see cref="SafeTensors.Read"/>). Tensor bytes
/// are read on demand, each straight into its destination array, so loading a large checkpoint never holds
/// the file twice. If the file is replaced after the header was read (different length or write time), a
/// read fails instead of returning bytes of another file.
/// </summary>
public sealed class SafeTensorsFile : IWeightsFile
{
    private readonly Dictionary<string, SafeTensorInfo> tensors;
    private readonly long dataStart;
    private readonly long fileLength;
    private readonly DateTime lastWriteUtc;

    internal SafeTensorsFile(string path, Dictionary<string, string> metadata, Dictionary<string, SafeTensorInfo> tensors,
        long dataStart, long fileLength, DateTime lastWriteUtc)
    {
        Path = path;
        Metadata = metadata;
        this.tensors = tensors;
        this.dataStart = dataStart;
        this.fileLength = fileLength;
        this.lastWriteUtc = lastWriteUtc;
        Names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor names, sorted ordinally.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>The stored dtype string ("F32", "I64", …).</summary>
    public string Dtype(string name) => Info(name).Dtype;

    /// <summary>Shape of tensor <paramref name="name"/>.</summary>
    public int[] Shape(string name) => (int[])Info(name).Shape.Clone();

    /// <summary>A floating tensor (F32, F64, F16 or BF16) converted to float32, with <c>Tensor.Name = name</c>.</summary>
    public Tensor GetFloat(string name)
    {
        using var handle = Open();
        return ReadFloat(handle, name);
    }

    /// <summary>A floating tensor widened (or kept) to float64, flattened row-major.</summary>
    public double[] GetFloat64(string name)
    {
        var info = Info(name);
        if (info.Dtype == SafeTensorDtypes.F64)
        {
            var values = new double[CheckedCount(name, info)];
            using var handle = Open();
            ReadBytes(handle, name, info, MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        return Array.ConvertAll(GetFloat(name).Data, v => (double)v);
    }

    /// <summary>An integer (or BOOL) tensor as long, flattened row-major. I64 and I32 are the usual cases.</summary>
    public long[] GetInt64(string name)
    {
        var info = Info(name);
        if (!SafeTensorDtypes.IsInteger(info.Dtype))
            throw new InvalidDataException($"{Path}: tensor {name} is {info.Dtype}, not an integer dtype (use GetFloat)");
        var values = new long[CheckedCount(name, info)];
        using var handle = Open();
        if (info.Dtype == SafeTensorDtypes.I64)
        {
            ReadBytes(handle, name, info, MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        var bytes = new byte[info.ByteLength];
        ReadBytes(handle, name, info, bytes);
        for (var i = 0; i < values.Length; i++)
            values[i] = info.Dtype switch
            {
                "BOOL" or "U8" => bytes[i],
                "I8" => (sbyte)bytes[i],
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)),
                "U16" => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i)),
                "U32" => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i)),
                _ => ToInt64(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8 * i)), name),
            };
        return values;
    }

    /// <summary>The raw little-endian bytes of any tensor.</summary>
    public byte[] GetBytes(string name)
    {
        var info = Info(name);
        var bytes = new byte[info.ByteLength];
        using var handle = Open();
        ReadBytes(handle, name, info, bytes);
        return bytes;
    }

    /// <summary>Every F32/F64/F16/BF16 tensor as float32, by name. Integer tensors are left out.</summary>
    public Dictionary<string, Tensor> FloatTensors()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var handle = Open();
        foreach (var name in Names)
            if (SafeTensorDtypes.IsConvertibleFloat(tensors[name].Dtype))
                result.Add(name, ReadFloat(handle, name));
        return result;
    }

    private SafeTensorInfo Info(string name) =>
        tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"{Path}: no tensor named {name} (the file has {tensors.Count} tensors{Suggest(name)})");

    private string Suggest(string name)
    {
        var tail = name.Split('.')[^1];
        var similar = Names.Where(n => n.EndsWith("." + tail, StringComparison.Ordinal) || n == tail).Take(3).ToList();
        return similar.Count == 0 ? "" : "; similar: " + string.Join(", ", similar);
    }

    private Tensor ReadFloat(SafeFileHandle handle, string name)
    {
        var info = Info(name);
        var data = new float[CheckedCount(name, info)];
        switch (info.Dtype)
        {
            case SafeTensorDtypes.F32:
                ReadBytes(handle, name, info, MemoryMarshal.AsBytes(data.AsSpan()));
                break;
            case SafeTensorDtypes.F64:
            {
                var wide = new double[data.Length];
                ReadBytes(handle, name, info, MemoryMarshal.AsBytes(wide.AsSpan()));
                for (var i = 0; i < data.Length; i++) data[i] = (float)wide[i];
                break;
            }
            case SafeTensorDtypes.F16:
            {
                var half = new Half[data.Length];
                ReadBytes(handle, name, info, MemoryMarshal.AsBytes(half.AsSpan()));
                TensorPrimitives.ConvertToSingle(half, data);
                break;
            }
            case SafeTensorDtypes.BF16:
            {
                // bfloat16 is the top half of a float32: widen by shifting the bits up.
                var raw = new ushort[data.Length];
                ReadBytes(handle, name, info, MemoryMarshal.AsBytes(raw.AsSpan()));
                for (var i = 0; i < data.Length; i++) data[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                break;
            }
            default:
                throw new InvalidDataException($"{Path}: tensor {name} is {info.Dtype}, not a floating dtype convertible to float32 (F32, F64, F16, BF16)");
        }
        return new Tensor(data, info.Shape) { Name = name };
    }

    private int CheckedCount(string name, SafeTensorInfo info) =>
        info.Count <= Array.MaxLength
            ? (int)info.Count
            : throw new InvalidDataException($"{Path}: tensor {name} has {info.Count} elements, more than one array can hold");

    private SafeFileHandle Open()
    {
        var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RandomAccess.GetLength(handle) != fileLength || File.GetLastWriteTimeUtc(Path) != lastWriteUtc)
        {
            handle.Dispose();
            throw new InvalidDataException($"{Path}: the file changed after its header was read; read it again");
        }
        return handle;
    }

    private void ReadBytes(SafeFileHandle handle, string name, SafeTensorInfo info, Span<byte> destination)
    {
        var offset = dataStart + info.Begin;
        while (destination.Length > 0)
        {
            var n = RandomAccess.Read(handle, destination, offset);
            if (n == 0) throw new InvalidDataException($"{Path}: tensor {name}: unexpected end of file at byte {offset}");
            destination = destination[n..];
            offset += n;
        }
    }

    private long ToInt64(ulong value, string name) =>
        value <= long.MaxValue ? (long)value : throw new InvalidDataException($"{Path}: tensor {name}: U64 value {value} does not fit in a long");
}
