using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace CogLtx.Nn.Torch;

/// <summary>A pickled tuple (kept apart from lists so that argument tuples and list values stay distinguishable).</summary>
internal sealed record PickleTuple(IReadOnlyList<object?> Items);

/// <summary>A pickled dict or <c>collections.OrderedDict</c>: its entries in insertion order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];
}

/// <summary>A global the pickle named (<c>module.name</c>); only the ones in <see cref="RestrictedUnpickler.AllowedGlobals"/> get this far.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// A pickle interpreter for the subset of the protocol (0–5 opcodes, as <c>Lib/pickletools.py</c> documents them)
/// that <c>torch.save</c> uses for state dicts: containers, strings, numbers, persistent ids (storages), and
/// REDUCE/BUILD on a handful of allowed globals, which are never executed but turned into values by
/// <paramref name="reduce"/>. Any other global — <c>os.system</c>, <c>builtins.eval</c> — is an error naming it as
/// soon as the pickle names it, as is any opcode outside the subset. This is the reader-side analogue of torch's
/// <c>weights_only=True</c> unpickler (<c>torch/_weights_only_unpickler.py</c>), narrowed to state dicts.
/// </summary>
/// <param name="source">Names the pickle in errors.</param>
/// <param name="persistentLoad">Turns a persistent id (BINPERSID's tuple) into a value (a storage).</param>
/// <param name="reduce">Applies an allowed global to its argument tuple.</param>
internal sealed class RestrictedUnpickler(string source, Func<object?, object?> persistentLoad, Func<PickleGlobal, PickleTuple, object?> reduce)
{
    /// <summary>The globals a PyTorch state dict may name: its dict type, the tensor/parameter rebuild functions, storage types.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.DoubleStorage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage",
    };

    private const int MaxDepth = 1_000_000;

    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private byte[] data = [];
    private int pos;

    /// <summary>Runs the pickle in <paramref name="pickle"/> and returns the value STOP leaves on the stack.</summary>
    public object? Load(byte[] pickle)
    {
        data = pickle;
        pos = 0;
        while (true)
        {
            if (pos >= data.Length) throw Error(pos, "the pickle ends without a STOP opcode");
            var at = pos;
            var op = data[pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > 5) throw Error(at, $"pickle protocol {protocol} is newer than 5");
                    break;
                case 0x95: // FRAME: an 8-byte length; frames only group opcodes
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (stack.Count != 1 || marks.Count != 0) throw Error(at, $"STOP with {stack.Count} values on the stack and {marks.Count} open marks");
                    return stack[0];
                case (byte)'(': marks.Push(stack.Count); break; // MARK
                case (byte)'0': Pop(at); break; // POP
                case (byte)'1': PopMark(at); break; // POP_MARK
                case (byte)'2': Push(Peek(at)); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: Push(Long(at, Take(ReadByte()))); break; // LONG1
                case 0x8b: Push(Long(at, Take(Length(at, BinaryPrimitives.ReadInt32LittleEndian(Take(4)))))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': Push(Utf8(at, Take(Length(at, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINUNICODE
                case 0x8c: Push(Utf8(at, Take(ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(at, Take(Length(at, BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))))); break; // BINUNICODE8
                case (byte)'T': Push(Latin1(Take(Length(at, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINSTRING
                case (byte)'U': Push(Latin1(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'B': Push(Take(Length(at, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length(at, BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break; // BINBYTES8
                case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
                case 0x85: Push(new PickleTuple(PopN(at, 1))); break; // TUPLE1
                case 0x86: Push(new PickleTuple(PopN(at, 2))); break; // TUPLE2
                case 0x87: Push(new PickleTuple(PopN(at, 3))); break; // TUPLE3
                case (byte)'t': Push(new PickleTuple(PopMark(at))); break; // TUPLE
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'l': Push(new List<object?>(PopMark(at))); break; // LIST
                case (byte)'a': // APPEND
                {
                    var value = Pop(at);
                    As<List<object?>>(Peek(at), at, "APPEND").Add(value);
                    break;
                }
                case (byte)'e': // APPENDS
                {
                    var items = PopMark(at);
                    As<List<object?>>(Peek(at), at, "APPENDS").AddRange(items);
                    break;
                }
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'d': // DICT
                {
                    var dict = new PickleDict();
                    AddPairs(dict, PopMark(at), at);
                    Push(dict);
                    break;
                }
                case (byte)'s': // SETITEM
                {
                    var value = Pop(at);
                    var key = Pop(at);
                    As<PickleDict>(Peek(at), at, "SETITEM").Entries.Add(new(key, value));
                    break;
                }
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark(at);
                    AddPairs(As<PickleDict>(Peek(at), at, "SETITEMS"), items, at);
                    break;
                }
                case (byte)'q': memo[ReadByte()] = Peek(at); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(at); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(at); break; // MEMOIZE
                case (byte)'h': Push(Memo(at, ReadByte())); break; // BINGET
                case (byte)'j': Push(Memo(at, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'c': Push(Global(at, ReadLine(at), ReadLine(at))); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    var name = As<string>(Pop(at), at, "STACK_GLOBAL");
                    var module = As<string>(Pop(at), at, "STACK_GLOBAL");
                    Push(Global(at, module, name));
                    break;
                }
                case (byte)'i': // INST names a class inline; refuse it by that name
                    throw Refused(at, ReadLine(at), ReadLine(at));
                case (byte)'Q': Push(persistentLoad(Pop(at))); break; // BINPERSID
                case (byte)'R': // REDUCE
                {
                    var args = As<PickleTuple>(Pop(at), at, "REDUCE");
                    var callable = As<PickleGlobal>(Pop(at), at, "REDUCE");
                    Push(reduce(callable, args));
                    break;
                }
                case (byte)'b': // BUILD: a state for the object below; state dicts only attach `_metadata` to their OrderedDict
                {
                    Pop(at);
                    if (Peek(at) is not (PickleDict or TorchTensorRef))
                        throw Error(at, $"BUILD on a {Describe(Peek(at))}, which a state dict never holds");
                    break;
                }
                default:
                    throw Error(at, $"opcode 0x{op:x2} ('{(op is >= 0x20 and < 0x7f ? (char)op : '?')}') is not part of the pickle subset state dicts use; refusing to load");
            }
        }
    }

    private PickleGlobal Global(int at, string module, string name) =>
        AllowedGlobals.Contains($"{module}.{name}") ? new PickleGlobal(module, name) : throw Refused(at, module, name);

    private InvalidDataException Refused(int at, string module, string name) =>
        Error(at, $"the pickle names the global {module}.{name}, which a PyTorch state dict never needs; refusing to load it (nothing was executed)");

    private InvalidDataException Error(int at, string message) => new($"{source}: byte {at}: {message}");

    private void Push(object? value)
    {
        if (stack.Count >= MaxDepth) throw Error(pos, "more than a million values on the pickle stack");
        stack.Add(value);
    }

    private object? Peek(int at) => stack.Count > (marks.Count > 0 ? marks.Peek() : 0) ? stack[^1] : throw Error(at, "stack underflow");

    private object? Pop(int at)
    {
        var value = Peek(at);
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object?[] PopN(int at, int n)
    {
        var floor = marks.Count > 0 ? marks.Peek() : 0;
        if (stack.Count - n < floor) throw Error(at, "stack underflow");
        var items = stack.GetRange(stack.Count - n, n).ToArray();
        stack.RemoveRange(stack.Count - n, n);
        return items;
    }

    private object?[] PopMark(int at)
    {
        if (marks.Count == 0) throw Error(at, "no MARK to pop to");
        var mark = marks.Pop();
        var items = stack.GetRange(mark, stack.Count - mark).ToArray();
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private object? Memo(int at, long key) => memo.TryGetValue(key, out var value) ? value : throw Error(at, $"memo slot {key} was never stored");

    private void AddPairs(PickleDict dict, object?[] items, int at)
    {
        if (items.Length % 2 != 0) throw Error(at, "odd number of values for dict items");
        for (var i = 0; i < items.Length; i += 2) dict.Entries.Add(new(items[i], items[i + 1]));
    }

    private T As<T>(object? value, int at, string opcode) =>
        value is T typed ? typed : throw Error(at, $"{opcode} expects a {typeof(T).Name}, found a {Describe(value)}");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => $"global {g}",
        _ => value.GetType().Name,
    };

    private byte ReadByte() => pos < data.Length ? data[pos++] : throw Error(pos, "unexpected end of the pickle");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > data.Length - pos) throw Error(pos, $"unexpected end of the pickle (wanted {count} bytes, {data.Length - pos} left)");
        var span = data.AsSpan(pos, count);
        pos += count;
        return span;
    }

    private int Length(int at, long length) =>
        length is >= 0 and <= int.MaxValue ? (int)length : throw Error(at, $"length {length} is out of range");

    private int Length(int at, ulong length) => Length(at, length > long.MaxValue ? -1 : (long)length);

    private string ReadLine(int at)
    {
        var end = Array.IndexOf(data, (byte)'\n', pos);
        if (end < 0) throw Error(at, "GLOBAL without a newline-terminated name");
        var line = Encoding.UTF8.GetString(data, pos, end - pos);
        pos = end + 1;
        return line;
    }

    private string Utf8(int at, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Error(at, $"string is not valid UTF-8: {e.Message}");
        }
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    // LONG1/LONG4: two's complement little-endian; state dicts only store small sizes this way.
    private long Long(int at, ReadOnlySpan<byte> bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue
            ? (long)value
            : throw Error(at, string.Create(CultureInfo.InvariantCulture, $"integer {value} does not fit in 64 bits"));
    }
}
