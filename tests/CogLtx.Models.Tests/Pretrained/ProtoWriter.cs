namespace CogLtx.Models.Tests.Pretrained;

/// <summary>Builds protobuf wire-format bytes by hand for the reader's tests (varint keys, length-delimited fields).</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> bytes = [];

    public byte[] ToArray() => bytes.ToArray();

    public ProtoWriter Varint(int field, ulong value) => Key(field, 0).Raw(value);

    public ProtoWriter Bytes(int field, byte[] payload)
    {
        Key(field, 2).Raw((ulong)payload.Length);
        bytes.AddRange(payload);
        return this;
    }

    public ProtoWriter String(int field, string text) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(text));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Fixed32(int field, float value)
    {
        Key(field, 5);
        bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    private ProtoWriter Key(int field, int wire) => Raw((ulong)((field << 3) | wire));

    private ProtoWriter Raw(ulong value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return this;
    }
}
