using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CogLtx.Nn.Tests.Torch;

/// <summary>
/// Writes pickle opcodes byte by byte, as <c>Lib/pickletools.py</c> documents them (protocol 2, what torch.save
/// emits), so tests can build state dicts — and hostile pickles — without Python.
/// </summary>
internal sealed class PickleBytes
{
    private readonly List<byte> bytes = [];

    public PickleBytes Op(char opcode)
    {
        bytes.Add((byte)opcode);
        return this;
    }

    public PickleBytes Op(byte opcode)
    {
        bytes.Add(opcode);
        return this;
    }

    public PickleBytes Proto(byte version = 2) => Op(0x80).Raw(version);

    public PickleBytes Mark() => Op('(');

    /// <summary>GLOBAL: 'c' module '\n' name '\n'.</summary>
    public PickleBytes Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>BINUNICODE: 'X', 4-byte little-endian length, UTF-8.</summary>
    public PickleBytes Unicode(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Op('X');
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Raw(length).Raw(utf8);
    }

    /// <summary>BININT1 below 256, else BININT (4-byte little-endian).</summary>
    public PickleBytes Int(long value)
    {
        if (value is >= 0 and < 256) return Op('K').Raw((byte)value);
        var raw = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(raw, checked((int)value));
        return Op('J').Raw(raw);
    }

    /// <summary>MARK, the values, TUPLE.</summary>
    public PickleBytes Tuple(params long[] values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Op('t');
    }

    public PickleBytes Raw(params byte[] raw)
    {
        bytes.AddRange(raw);
        return this;
    }

    public byte[] ToArray() => [.. bytes];
}

/// <summary>A tensor to put in a hand-built state dict: its own storage, float32, written with the given strides.</summary>
internal sealed record StateTensor(string Name, float[] Storage, int[] Size, long[] Stride, long Offset = 0);

/// <summary>Builds <c>torch.save</c> zip archives: <c>archive/data.pkl</c>, <c>archive/byteorder</c>, <c>archive/data/N</c>.</summary>
internal static class TorchArchiveWriter
{
    /// <summary>
    /// The pickle torch.save writes for an OrderedDict of tensors: <c>OrderedDict()</c>, then MARK, per tensor its
    /// name and <c>_rebuild_tensor_v2((storage pid), offset, size, stride, False, OrderedDict())</c>, SETITEMS, STOP.
    /// </summary>
    public static byte[] StateDictPickle(IReadOnlyList<StateTensor> tensors)
    {
        var p = new PickleBytes().Proto().Global("collections", "OrderedDict").Op(')').Op('R').Mark();
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            p.Unicode(t.Name).Global("torch._utils", "_rebuild_tensor_v2").Mark();
            p.Mark().Unicode("storage").Global("torch", "FloatStorage").Unicode(i.ToString()).Unicode("cpu").Int(t.Storage.Length).Op('t').Op('Q');
            p.Int(t.Offset).Tuple(t.Size.Select(s => (long)s).ToArray()).Tuple(t.Stride).Op(0x89);
            p.Global("collections", "OrderedDict").Op(')').Op('R').Op('t').Op('R');
        }
        return p.Op('u').Op('.').ToArray();
    }

    /// <summary>Writes a state dict archive; storage i is tensor i's float32 storage in <paramref name="byteOrder"/>.</summary>
    public static void Write(string path, IReadOnlyList<StateTensor> tensors, string byteOrder = "little") =>
        Write(path, StateDictPickle(tensors), tensors.Select(t => Encode(t.Storage, byteOrder)).ToList(), byteOrder);

    /// <summary>Writes an archive named after the file holding <paramref name="pickle"/> and the storages as data/0, data/1, ….</summary>
    public static void Write(string path, byte[] pickle, IReadOnlyList<byte[]> storages, string byteOrder = "little")
    {
        var archive = Path.GetFileNameWithoutExtension(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, $"{archive}/data.pkl", pickle);
        Add(zip, $"{archive}/byteorder", Encoding.ASCII.GetBytes(byteOrder));
        for (var i = 0; i < storages.Count; i++) Add(zip, $"{archive}/data/{i}", storages[i]);
        Add(zip, $"{archive}/version", "3\n"u8.ToArray());
    }

    private static byte[] Encode(float[] values, string byteOrder)
    {
        var bytes = new byte[4 * values.Length];
        for (var i = 0; i < values.Length; i++)
            if (byteOrder == "big") BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(4 * i), values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }
}
