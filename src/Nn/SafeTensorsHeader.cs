using System.Text.Json;

namespace CogLtx.Nn;

/// <summary>Where one tensor's bytes lie in the data buffer (offsets relative to the buffer's start).</summary>
internal sealed record SafeTensorInfo(string Dtype, int[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    /// <summary>product(shape); bounded by the buffer length when the header was checked.</summary>
    public long Count => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>
/// Parses and validates a safetensors JSON header the way the reference reader does
/// (huggingface/safetensors <c>tensor.rs</c>, <c>Metadata::validate</c>): every tensor's byte range must match
/// its dtype and shape, the ranges must tile the data buffer exactly (no gap, no overlap, nothing left over).
/// Every failure is an <see cref="InvalidDataException"/> naming the file, the tensor and the numbers.
/// </summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    public static (Dictionary<string, string> Metadata, Dictionary<string, SafeTensorInfo> Tensors) Parse(
        ReadOnlySpan<byte> json, long bufferLength, string path)
    {
        if (json.Length == 0 || json[0] != (byte)'{')
            throw Bad(path, "header does not start with '{' (not a safetensors file?)");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            var seenMetadata = false;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (tensors.ContainsKey(property.Name) || (property.Name == MetadataKey && seenMetadata))
                    throw Bad(path, $"key {property.Name} appears twice in the header");
                if (property.Name == MetadataKey)
                {
                    seenMetadata = true;
                    ReadMetadata(property.Value, metadata, path);
                }
                else tensors.Add(property.Name, ReadTensor(property.Name, property.Value, path));
            }
            CheckLayout(tensors, bufferLength, path);
            return (metadata, tensors);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> into, string path)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"{MetadataKey} must be an object of strings, found {value.ValueKind}");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Bad(path, $"{MetadataKey}.{entry.Name} must be a string, found {entry.Value.ValueKind}");
            into[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafeTensorInfo ReadTensor(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"tensor {name}: entry must be an object, found {value.ValueKind}");
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype":
                    if (field.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"tensor {name}: dtype must be a string");
                    dtype = field.Value.GetString()!;
                    break;
                case "shape":
                    shape = ReadShape(name, field.Value, path);
                    break;
                case "data_offsets":
                    offsets = ReadOffsets(name, field.Value, path);
                    break;
                default:
                    throw Bad(path, $"tensor {name}: unexpected field {field.Name} (expected dtype, shape, data_offsets)");
            }
        }
        if (dtype is null) throw Bad(path, $"tensor {name}: missing dtype");
        if (shape is null) throw Bad(path, $"tensor {name}: missing shape");
        if (offsets is null) throw Bad(path, $"tensor {name}: missing data_offsets");
        if (!SafeTensorDtypes.IsKnown(dtype)) throw Bad(path, $"tensor {name}: unknown dtype {dtype} (known: {SafeTensorDtypes.KnownList})");
        if (offsets[1] < offsets[0]) throw Bad(path, $"tensor {name}: data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        return new SafeTensorInfo(dtype, shape, offsets[0], offsets[1]);
    }

    private static int[] ReadShape(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array) throw Bad(path, $"tensor {name}: shape must be an array");
        var shape = new int[value.GetArrayLength()];
        var i = 0;
        foreach (var d in value.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim))
                throw Bad(path, $"tensor {name}: shape entry {d} is not an integer");
            if (dim < 0) throw Bad(path, $"tensor {name}: negative dimension {dim} in shape {value}");
            if (dim > int.MaxValue) throw Bad(path, $"tensor {name}: dimension {dim} in shape {value} is too large");
            shape[i++] = (int)dim;
        }
        return shape;
    }

    private static long[] ReadOffsets(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
            throw Bad(path, $"tensor {name}: data_offsets must be [begin, end]");
        var offsets = new long[2];
        var i = 0;
        foreach (var o in value.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out var v) || v < 0)
                throw Bad(path, $"tensor {name}: data_offsets entry {o} is not a non-negative integer");
            offsets[i++] = v;
        }
        return offsets;
    }

    /// <summary>Byte counts agree with shapes; sorted by begin, the ranges tile [0, bufferLength) exactly.</summary>
    private static void CheckLayout(Dictionary<string, SafeTensorInfo> tensors, long bufferLength, string path)
    {
        foreach (var (name, info) in tensors)
        {
            // Bound the element count by the buffer length as we multiply, so a huge claimed shape cannot overflow.
            var count = info.Shape.Contains(0) ? 0L : 1L;
            foreach (var d in info.Shape)
            {
                if (count == 0) break;
                if (count > bufferLength / d) { count = long.MaxValue; break; }
                count *= d;
            }
            var size = SafeTensorDtypes.Size(info.Dtype);
            if (count > bufferLength)
                throw Bad(path, $"tensor {name}: shape [{string.Join(", ", info.Shape)}] of {info.Dtype} needs more bytes than the whole data buffer ({bufferLength})");
            if (count * size != info.ByteLength)
                throw Bad(path, $"tensor {name}: shape [{string.Join(", ", info.Shape)}] of {info.Dtype} needs {count * size} bytes, data_offsets [{info.Begin}, {info.End}] give {info.ByteLength}");
        }
        long expected = 0;
        string? previous = null;
        foreach (var (name, info) in tensors.OrderBy(t => t.Value.Begin).ThenBy(t => t.Value.End).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            if (info.Begin < expected)
                throw Bad(path, $"tensor {name}: data_offsets [{info.Begin}, {info.End}] overlap tensor {previous} (which ends at {expected})");
            if (info.Begin > expected)
                throw Bad(path, $"tensor {name}: data_offsets begin at {info.Begin}, leaving bytes [{expected}, {info.Begin}) of the buffer unused");
            if (info.End > bufferLength)
                throw Bad(path, $"tensor {name}: data_offsets [{info.Begin}, {info.End}] run past the data buffer of {bufferLength} bytes");
            expected = info.End;
            previous = name;
        }
        if (expected != bufferLength)
            throw Bad(path, $"the tensors cover {expected} bytes but the data buffer has {bufferLength}");
    }

    public static InvalidDataException Bad(string path, string problem) => new($"{path}: corrupt safetensors file: {problem}");
}
