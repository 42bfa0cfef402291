using System.Buffers.Binary;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// A minimal reader of the protocol-buffers wire format (protobuf encoding spec: varint, 64-bit, length-delimited
/// and 32-bit fields; groups are refused). It walks one message's bytes field by field; nested messages are read by
/// a new reader over <see cref="ReadBytes"/>. Every malformation (a varint past 10 bytes, a length past the end of
/// the message, an unknown wire type) throws <see cref="InvalidDataException"/> with the byte offset and what was
/// being read, prefixed by the caller's <c>where</c> (file and message path).
/// </summary>
internal struct ProtoReader
{
    /// <summary>Wire types of the encoding spec.</summary>
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5;

    private readonly ReadOnlyMemory<byte> data;
    private readonly long baseOffset;
    private readonly string where;
    private int position;

    public ProtoReader(ReadOnlyMemory<byte> data, string where, long baseOffset = 0)
    {
        this.data = data;
        this.where = where;
        this.baseOffset = baseOffset;
        position = 0;
    }

    /// <summary>Byte offset of the next field from the start of the file (for messages).</summary>
    public readonly long Offset => baseOffset + position;

    public readonly bool AtEnd => position >= data.Length;

    /// <summary>Reads the next field key; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = 0;
            return false;
        }
        var at = Offset;
        var key = ReadVarint("field key");
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (field <= 0 || key >> 3 > int.MaxValue) throw Bad($"invalid field number {key >> 3}", at);
        if (wireType is StartGroup or EndGroup or > Fixed32) throw Bad($"field {field} has unsupported wire type {wireType}", at);
        return true;
    }

    public ulong ReadVarint(string what)
    {
        var span = data.Span;
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= span.Length) throw Bad($"truncated varint ({what}): the message ends inside it", Offset);
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Bad($"varint ({what}) longer than 10 bytes", Offset);
    }

    public long ReadInt64(string what) => (long)ReadVarint(what);

    public int ReadInt32(string what) => (int)(long)ReadVarint(what);

    public float ReadFloat(string what)
    {
        var bytes = Take(4, what);
        return BinaryPrimitives.ReadSingleLittleEndian(bytes.Span);
    }

    public double ReadDouble(string what)
    {
        var bytes = Take(8, what);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes.Span);
    }

    /// <summary>A length-delimited field's payload (a string, bytes, a nested message or a packed array).</summary>
    public ReadOnlyMemory<byte> ReadBytes(string what)
    {
        var at = Offset;
        var length = ReadVarint($"length of {what}");
        if (length > (ulong)(data.Length - position))
            throw Bad($"{what} claims {length} bytes but only {data.Length - position} remain in the enclosing message (truncated or corrupt)", at);
        return Take((int)length, what);
    }

    /// <summary>A nested message: its reader, with offsets still counted from the start of the file.</summary>
    public ProtoReader ReadMessage(string what)
    {
        var start = Offset;
        var bytes = ReadBytes(what);
        var lengthSize = Offset - bytes.Length - start;
        return new ProtoReader(bytes, $"{where} > {what}", start + lengthSize);
    }

    public string ReadString(string what)
    {
        var bytes = ReadBytes(what);
        try
        {
            return Strict.GetString(bytes.Span);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new InvalidDataException($"{where}: {what} at byte {Offset - bytes.Length} is not valid UTF-8", e);
        }
    }

    /// <summary>Appends a repeated int64 field, packed (wire type 2) or not (wire type 0).</summary>
    public void ReadInt64s(int wireType, List<long> into, string what)
    {
        if (wireType == Varint)
        {
            into.Add(ReadInt64(what));
            return;
        }
        if (wireType != LengthDelimited) throw Bad($"{what} has wire type {wireType}, expected 0 or 2", Offset);
        var packed = ReadMessage(what);
        while (!packed.AtEnd) into.Add(packed.ReadInt64(what));
    }

    /// <summary>Appends a repeated float field, packed (wire type 2) or not (wire type 5).</summary>
    public void ReadFloats(int wireType, List<float> into, string what)
    {
        if (wireType == Fixed32)
        {
            into.Add(ReadFloat(what));
            return;
        }
        if (wireType != LengthDelimited) throw Bad($"{what} has wire type {wireType}, expected 5 or 2", Offset);
        var bytes = ReadBytes(what);
        if (bytes.Length % 4 != 0) throw Bad($"packed {what} has {bytes.Length} bytes, not a multiple of 4", Offset);
        for (var i = 0; i < bytes.Length; i += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes.Span.Slice(i, 4)));
    }

    /// <summary>Skips a field of <paramref name="wireType"/> that the caller does not read.</summary>
    public void Skip(int field, int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint($"field {field}"); break;
            case Fixed64: Take(8, $"field {field}"); break;
            case LengthDelimited: ReadBytes($"field {field}"); break;
            case Fixed32: Take(4, $"field {field}"); break;
            default: throw Bad($"field {field} has unsupported wire type {wireType}", Offset);
        }
    }

    /// <summary>Checks that <paramref name="wireType"/> is what the schema says for <paramref name="what"/>.</summary>
    public readonly void Expect(int wireType, int expected, string what)
    {
        if (wireType != expected) throw Bad($"{what} has wire type {wireType}, the schema says {expected}", Offset);
    }

    private ReadOnlyMemory<byte> Take(int count, string what)
    {
        if (count > data.Length - position)
            throw Bad($"{what} needs {count} bytes but only {data.Length - position} remain (truncated or corrupt)", Offset);
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }

    private readonly InvalidDataException Bad(string message, long at) => new($"{where}: byte {at}: {message}");

    private static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
