using System.Text.Json;

namespace CogLtx.Tensors.Tests;

/// <summary>
/// Test-only reader for the two small loss fixtures: 8-byte little-endian header length, JSON header
/// {name: {dtype, shape, data_offsets}}, then the raw bytes. F32 and I64 only. (The real reader is CogLtx.Nn.SafeTensors;
/// this keeps the Tensors tests free of an upward reference.)
/// </summary>
internal sealed class SafeTensorsLite
{
    private readonly Dictionary<string, (string Dtype, int[] Shape, byte[] Bytes)> entries = [];

    public SafeTensorsLite(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__") continue;
            var dtype = prop.Value.GetProperty("dtype").GetString()!;
            var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            entries[prop.Name] = (dtype, shape, bytes[(8 + headerLength + offsets[0])..(8 + headerLength + offsets[1])]);
        }
    }

    public int[] Shape(string name) => Get(name).Shape;

    public float[] Floats(string name)
    {
        var (dtype, _, bytes) = Get(name);
        if (dtype != "F32") throw new InvalidDataException($"{name}: expected F32, found {dtype}");
        var result = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    public int[] Ints(string name)
    {
        var (dtype, _, bytes) = Get(name);
        if (dtype != "I64") throw new InvalidDataException($"{name}: expected I64, found {dtype}");
        var result = new int[bytes.Length / 8];
        for (var i = 0; i < result.Length; i++) result[i] = checked((int)BitConverter.ToInt64(bytes, 8 * i));
        return result;
    }

    private (string Dtype, int[] Shape, byte[] Bytes) Get(string name) =>
        entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"fixture has no tensor '{name}' (has {string.Join(", ", entries.Keys)})");
}
