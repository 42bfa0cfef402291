using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using CogLtx.Tensors;

namespace CogLtx.Nn.Torch;

/// <summary>
/// A <c>pytorch_model.bin</c> written by <c>torch.save(state_dict)</c> (PyTorch ≥ 1.6, the zip layout of
/// <c>torch/serialization.py</c>): a zip holding <c>&lt;archive&gt;/data.pkl</c> (the pickled OrderedDict of
/// tensors), one entry <c>&lt;archive&gt;/data/&lt;key&gt;</c> per storage, and <c>&lt;archive&gt;/byteorder</c>
/// ("little" or "big"; absent means little). The pickle is read by <see cref="RestrictedUnpickler"/>, which executes
/// nothing and refuses every global a state dict does not need. Tensor bytes are read on demand.
/// </summary>
public sealed class PyTorchCheckpoint : IWeightsFile
{
    private readonly Dictionary<string, TorchTensorRef> tensors;
    private readonly string prefix;
    private readonly bool bigEndian;

    private PyTorchCheckpoint(string path, string prefix, bool bigEndian, Dictionary<string, TorchTensorRef> tensors)
    {
        Path = path;
        this.prefix = prefix;
        this.bigEndian = bigEndian;
        this.tensors = tensors;
        Names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Tensor names, sorted ordinally.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The storage dtype as a safetensors dtype string ("F32", "F16", "BF16", "I64", …).</summary>
    public string Dtype(string name) => Ref(name).Storage.Dtype;

    /// <summary>Shape of tensor <paramref name="name"/>.</summary>
    public int[] Shape(string name) => (int[])Ref(name).Size.Clone();

    /// <summary>
    /// Reads the state dict's structure from <paramref name="path"/>; tensors are validated against their storages
    /// (dtype known, view inside the storage) here, their values read by <see cref="GetFloat"/>.
    /// </summary>
    public static PyTorchCheckpoint Read(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        CheckIsZip(fullPath);
        using var zip = ZipFile.OpenRead(fullPath);
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
            throw new InvalidDataException($"{fullPath}: a zip, but not a torch.save archive: expected one <archive>/data.pkl, found {pickles.Count}");
        var prefix = pickles[0].FullName[..^"data.pkl".Length];
        var bigEndian = ReadByteOrder(zip, prefix, fullPath);
        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var unpickler = new RestrictedUnpickler($"{fullPath}!{pickles[0].FullName}",
            id => LoadStorage(id, storages, zip, prefix, fullPath), (global, args) => Reduce(global, args, fullPath));
        var root = unpickler.Load(ReadEntry(pickles[0], fullPath));
        return new PyTorchCheckpoint(fullPath, prefix, bigEndian, StateDict(root, fullPath));
    }

    /// <summary>A floating tensor (F32, F16, BF16, F64) as a contiguous float32 tensor named <paramref name="name"/>; strided views are gathered.</summary>
    public Tensor GetFloat(string name)
    {
        var tensor = Ref(name);
        if (!SafeTensorDtypes.IsConvertibleFloat(tensor.Storage.Dtype))
            throw new InvalidDataException($"{Path}: tensor {name} is {tensor.Storage.Dtype}, not a floating dtype convertible to float32 (F32, F64, F16, BF16)");
        var data = new float[checked((int)tensor.Count)];
        if (data.Length == 0) return new Tensor(data, tensor.Size) { Name = name };
        using var zip = ZipFile.OpenRead(Path);
        // Only the elements [Offset, End) of the storage: a view of a large shared storage reads its own part.
        var storage = ReadStorage(zip, tensor);
        var size = tensor.Storage.ElementSize;
        if (tensor.IsContiguous && tensor.Storage.Dtype == SafeTensorDtypes.F32 && !bigEndian)
        {
            MemoryMarshal.Cast<byte, float>(storage.AsSpan(0, data.Length * size)).CopyTo(data);
        }
        else
        {
            var index = new int[tensor.Size.Length];
            var at = 0L;
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = Element(storage.AsSpan(checked((int)(at * size)), size), tensor.Storage.Dtype);
                // Odometer over the dims, last fastest: step the storage index by the stride of the dim that moves.
                for (var k = index.Length - 1; k >= 0; k--)
                {
                    at += tensor.Stride[k];
                    if (++index[k] < tensor.Size[k]) break;
                    at -= tensor.Stride[k] * tensor.Size[k];
                    index[k] = 0;
                }
            }
        }
        return new Tensor(data, tensor.Size) { Name = name };
    }

    private float Element(ReadOnlySpan<byte> bytes, string dtype) => dtype switch
    {
        SafeTensorDtypes.F32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes),
        SafeTensorDtypes.F16 => (float)(bigEndian ? BinaryPrimitives.ReadHalfBigEndian(bytes) : BinaryPrimitives.ReadHalfLittleEndian(bytes)),
        // bfloat16 is the top half of a float32.
        SafeTensorDtypes.BF16 => BitConverter.Int32BitsToSingle((bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes)) << 16),
        _ => (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes)),
    };

    private byte[] ReadStorage(ZipArchive zip, TorchTensorRef tensor)
    {
        var storage = tensor.Storage;
        var entry = zip.GetEntry(prefix + "data/" + storage.Key)
            ?? throw new InvalidDataException($"{Path}: storage {storage.Key} is named by the pickle but {prefix}data/{storage.Key} is not in the archive");
        if (entry.Length < storage.Numel * storage.ElementSize)
            throw new InvalidDataException($"{Path}: {entry.FullName} holds {entry.Length} bytes, the pickle says {storage.Numel} × {storage.ElementSize}");
        var start = tensor.Offset * storage.ElementSize;
        var length = (tensor.End - tensor.Offset) * storage.ElementSize;
        if (length > Array.MaxLength) throw new InvalidDataException($"{Path}: a view of {entry.FullName} spans {length} bytes, more than one array can hold");
        var bytes = new byte[length];
        using var stream = entry.Open();
        if (stream.CanSeek) stream.Seek(start, SeekOrigin.Begin);
        else Skip(stream, start);
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void Skip(Stream stream, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) throw new EndOfStreamException();
            count -= n;
        }
    }

    private TorchTensorRef Ref(string name) =>
        tensors.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"{Path}: no tensor named {name} (the file has {tensors.Count} tensors)");

    private static void CheckIsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
                throw new InvalidDataException($"{path}: {stream.Length} bytes, too short for a PyTorch checkpoint");
        }
        if (magic.SequenceEqual("PK\u0003\u0004"u8)) return;
        if (magic[0] == 0x80)
            throw new NotSupportedException(
                $"{path}: the legacy (pre-1.6, non-zip) torch.save format, which this reader does not support; re-save it with a current PyTorch " +
                "(torch.save(torch.load(f, weights_only=True), f)) or convert it to model.safetensors");
        throw new InvalidDataException($"{path}: not a PyTorch checkpoint (a torch.save zip starts with PK\\x03\\x04, this file with 0x{Convert.ToHexString(magic)})");
    }

    private static bool ReadByteOrder(ZipArchive zip, string prefix, string path)
    {
        var entry = zip.GetEntry(prefix + "byteorder");
        if (entry is null) return false;
        var text = System.Text.Encoding.ASCII.GetString(ReadEntry(entry, path)).Trim();
        return text switch
        {
            "little" => false,
            "big" => true,
            _ => throw new InvalidDataException($"{path}: {entry.FullName} says \"{text}\", expected little or big"),
        };
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > Array.MaxLength)
            throw new InvalidDataException($"{path}: {entry.FullName} holds {entry.Length} bytes, more than one array can hold");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    // Persistent id of a storage: ('storage', torch.XxxStorage, key, location, numel).
    private static TorchStorage LoadStorage(object? id, Dictionary<string, TorchStorage> storages, ZipArchive zip, string prefix, string path)
    {
        if (id is not PickleTuple { Items: ["storage", PickleGlobal type, string key, string, long numel] })
            throw new InvalidDataException($"{path}: persistent id {Show(id)} is not ('storage', torch.XxxStorage, key, location, numel)");
        if (!TorchStorage.Dtypes.TryGetValue(type.Name, out var dtype) || type.Module != "torch")
            throw new InvalidDataException($"{path}: persistent id names {type}, not a torch storage type");
        if (storages.TryGetValue(key, out var known))
            return known.Dtype == dtype ? known : throw new InvalidDataException($"{path}: storage {key} is used as both {known.Dtype} and {dtype}");
        if (zip.GetEntry(prefix + "data/" + key) is null)
            throw new InvalidDataException($"{path}: storage {key} is named by the pickle but {prefix}data/{key} is not in the archive");
        if (numel < 0) throw new InvalidDataException($"{path}: storage {key} has {numel} elements");
        return storages[key] = new TorchStorage(key, dtype, numel);
    }

    private static object? Reduce(PickleGlobal global, PickleTuple args, string path)
    {
        switch (global.ToString())
        {
            case "collections.OrderedDict" when args.Items.Count == 0:
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2" when args.Items is [TorchStorage storage, long offset, PickleTuple size, PickleTuple stride, bool, var hooks, ..] && args.Items.Count <= 7:
                if (hooks is PickleDict { Entries.Count: > 0 }) throw new InvalidDataException($"{path}: a tensor carries backward hooks; a state dict never does");
                return View(storage, offset, Longs(size, path), Longs(stride, path), path);
            case "torch._utils._rebuild_parameter" when args.Items is [TorchTensorRef data, bool, PickleDict { Entries.Count: 0 }]:
                return data;
            default:
                throw new InvalidDataException($"{path}: the pickle calls {global} with {Show(args)}, which a state dict never does");
        }
    }

    private static TorchTensorRef View(TorchStorage storage, long offset, long[] size, long[] stride, string path)
    {
        if (size.Length != stride.Length) throw new InvalidDataException($"{path}: tensor of storage {storage.Key} has {size.Length} sizes but {stride.Length} strides");
        if (offset < 0 || size.Any(s => s is < 0 or > int.MaxValue) || stride.Any(s => s < 0))
            throw new InvalidDataException($"{path}: tensor of storage {storage.Key}: offset {offset}, size ({string.Join(", ", size)}), stride ({string.Join(", ", stride)}) is not a valid view");
        var tensor = new TorchTensorRef(storage, offset, size.Select(s => (int)s).ToArray(), stride);
        if (tensor.Count > Array.MaxLength) throw new InvalidDataException($"{path}: tensor of storage {storage.Key} has {tensor.Count} elements, more than one array can hold");
        if (tensor.End > storage.Numel)
            throw new InvalidDataException($"{path}: tensor (offset {offset}, size ({string.Join(", ", size)}), stride ({string.Join(", ", stride)})) reads past the end of storage {storage.Key} ({storage.Numel} elements)");
        return tensor;
    }

    private static Dictionary<string, TorchTensorRef> StateDict(object? root, string path)
    {
        if (root is not PickleDict dict) throw new InvalidDataException($"{path}: the pickle holds a {Show(root)}, not a state dict (a dict of tensors)");
        var result = new Dictionary<string, TorchTensorRef>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name) throw new InvalidDataException($"{path}: state dict key {Show(key)} is not a string");
            if (value is not TorchTensorRef tensor)
                throw new InvalidDataException($"{path}: state dict entry {name} is a {Show(value)}, not a tensor (a training checkpoint with nested dicts? save model.state_dict() alone)");
            if (!result.TryAdd(name, tensor)) throw new InvalidDataException($"{path}: state dict has {name} twice");
        }
        return result;
    }

    private static long[] Longs(PickleTuple tuple, string path) =>
        tuple.Items.Select(v => v is long l ? l : throw new InvalidDataException($"{path}: tensor size/stride holds {Show(v)}, not an integer")).ToArray();

    private static string Show(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        long or bool => value.ToString()!,
        PickleTuple t => $"({string.Join(", ", t.Items.Select(Show))})",
        PickleGlobal g => g.ToString(),
        TorchStorage s => $"storage {s.Key}",
        TorchTensorRef => "tensor",
        PickleDict => "dict",
        _ => value.GetType().Name,
    };
}
