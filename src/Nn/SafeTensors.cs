using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CogLtx.Tensors;
using CogLtx.Tensors.Io;

namespace CogLtx.Nn;

/// <summary>
/// Reader and writer of the safetensors format (huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON <c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …,
/// "__metadata__": {str: str}}</c> padded with spaces to a multiple of 8, then the data buffer (offsets are
/// relative to its start). Reading validates everything before any tensor is touched; writing is atomic.
/// </summary>
public static class SafeTensors
{
    /// <summary>The reference reader's limit on the header (safetensors <c>MAX_HEADER_SIZE</c>, 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Reads and validates the header of <paramref name="path"/>. Throws <see cref="InvalidDataException"/> naming
    /// the file and the problem for a truncated file, a header length past the end of the file or over the limit
    /// (checked before allocating), invalid JSON, unknown dtypes, negative dims, byte counts that disagree with
    /// shapes, and offsets that overlap, leave gaps or do not cover the buffer exactly.
    /// </summary>
    public static SafeTensorsFile Read(string path)
    {
        RequireLittleEndian();
        var fullPath = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = stream.Length;
        var lastWrite = File.GetLastWriteTimeUtc(fullPath);
        if (length < 8)
            throw SafeTensorsHeader.Bad(fullPath, $"file is truncated: {length} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
            throw SafeTensorsHeader.Bad(fullPath, $"header length {headerLength} runs past the end of the file ({length} bytes)");
        if ((long)headerLength > MaxHeaderBytes)
            throw SafeTensorsHeader.Bad(fullPath, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var (metadata, tensors) = SafeTensorsHeader.Parse(header, length - dataStart, fullPath);
        return new SafeTensorsFile(fullPath, metadata, tensors, dataStart, length, lastWrite);
    }

    /// <summary>Writes float32 tensors (F32) atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        WriteCore(path, tensors.Select(kv => Pending.FromTensor(kv.Key, kv.Value)), metadata);
    }

    /// <summary>Writes entries of any dtype atomically; each entry's byte count is checked against its shape.</summary>
    public static void Write(string path, IEnumerable<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        WriteCore(path, entries.Select(Pending.FromEntry), metadata);
    }

    /// <summary>
    /// Layout as the reference writer (<c>safetensors::tensor::prepare</c>): data sorted by descending dtype order,
    /// then name; header keys sorted ordinally (as the Python fixtures were written, <c>sort_keys</c>), compact
    /// JSON, space padding to a multiple of 8. Written through <see cref="AtomicFile"/>, so a crash leaves either the
    /// old file or the new one.
    /// </summary>
    private static void WriteCore(string path, IEnumerable<Pending> items, IReadOnlyDictionary<string, string>? metadata)
    {
        RequireLittleEndian();
        var fullPath = System.IO.Path.GetFullPath(path);
        var list = items.ToList();
        Validate(list, fullPath);
        var layout = list
            .OrderByDescending(p => SafeTensorDtypes.Order(p.Dtype))
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var offsets = new Dictionary<string, (long Begin, long End)>(StringComparer.Ordinal);
        long position = 0;
        foreach (var p in layout)
        {
            offsets[p.Name] = (position, position + p.ByteLength);
            position += p.ByteLength;
        }
        var header = HeaderBytes(list, offsets, metadata);

        AtomicFile.WriteStream(fullPath, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var p in layout) p.WriteTo(stream);
        });
    }

    private static void Validate(List<Pending> items, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in items)
        {
            if (string.IsNullOrEmpty(p.Name)) throw new ArgumentException($"{path}: a tensor has an empty name");
            if (p.Name == SafeTensorsHeader.MetadataKey) throw new ArgumentException($"{path}: {SafeTensorsHeader.MetadataKey} is reserved, not a tensor name");
            if (!names.Add(p.Name)) throw new ArgumentException($"{path}: tensor {p.Name} is given twice");
            if (!SafeTensorDtypes.IsKnown(p.Dtype)) throw new ArgumentException($"{path}: tensor {p.Name}: unknown dtype {p.Dtype} (known: {SafeTensorDtypes.KnownList})");
            var count = Shapes.Size(p.Shape);
            if ((long)count * SafeTensorDtypes.Size(p.Dtype) != p.ByteLength)
                throw new ArgumentException($"{path}: tensor {p.Name}: shape {Shapes.Format(p.Shape)} of {p.Dtype} needs "
                    + $"{(long)count * SafeTensorDtypes.Size(p.Dtype)} bytes, got {p.ByteLength}");
        }
    }

    private static byte[] HeaderBytes(List<Pending> items, Dictionary<string, (long Begin, long End)> offsets, IReadOnlyDictionary<string, string>? metadata)
    {
        var entries = new List<(string Key, string Json)>();
        if (metadata is { Count: > 0 })
        {
            var inner = string.Join(",", metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Quote(kv.Key) + ":" + Quote(kv.Value)));
            entries.Add((SafeTensorsHeader.MetadataKey, "{" + inner + "}"));
        }
        foreach (var p in items)
        {
            var (begin, end) = offsets[p.Name];
            var shape = string.Join(",", p.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            entries.Add((p.Name, FormattableString.Invariant($"{{\"data_offsets\":[{begin},{end}],\"dtype\":{Quote(p.Dtype)},\"shape\":[{shape}]}}")));
        }
        var json = "{" + string.Join(",", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Quote(e.Key) + ":" + e.Json)) + "}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var padded = new byte[(bytes.Length + 7) / 8 * 8];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)' ');
        return padded;
    }

    /// <summary>JSON string literal escaped as serde_json does: quote, backslash and control characters only.</summary>
    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ': sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors IO assumes a little-endian machine");
    }

    /// <summary>A tensor waiting to be written: float32 data written in place, or the raw bytes of an entry.</summary>
    private sealed record Pending(string Name, string Dtype, int[] Shape, float[]? Floats, byte[]? Bytes)
    {
        public long ByteLength => Floats is not null ? 4L * Floats.Length : Bytes!.Length;

        public static Pending FromTensor(string name, Tensor tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            return new(name, SafeTensorDtypes.F32, tensor.Shape, tensor.Data, null);
        }

        public static Pending FromEntry(SafeTensorEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            return new(entry.Name, entry.Dtype, entry.Shape, null, entry.Bytes);
        }

        public void WriteTo(Stream stream)
        {
            if (Floats is not null) stream.Write(MemoryMarshal.AsBytes(Floats.AsSpan()));
            else stream.Write(Bytes);
        }
    }
}
