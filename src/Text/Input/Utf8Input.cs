using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace CogLtx.Text.Input;

/// <summary>Where the first invalid UTF-8 sequence of some bytes is: the bad byte, its 0-based byte offset, 1-based line and column.</summary>
public readonly record struct Utf8Error(byte Value, long ByteOffset, long Line, long Column)
{
    /// <summary><c>invalid UTF-8 byte 0xE9 at byte offset 14 (line 2, column 7)</c>.</summary>
    public override string ToString() => $"invalid UTF-8 byte 0x{Value:X2} at byte offset {ByteOffset} (line {Line}, column {Column})";
}

/// <summary>
/// The one rule for text entering the tool (README, "Text must be UTF-8"): every reader of text (standard input,
/// data sets, JSON Lines, vocabularies, tokenizer and config files) decodes through here. Invalid bytes are
/// rejected, never replaced by U+FFFD, with an error naming the source and the first bad byte's offset, line and
/// column; a leading byte-order mark is dropped (its bytes still count in the offset). Lone surrogates cannot
/// occur in well-formed UTF-8 (U+D800..U+DFFF encoded as ED A0..BF xx is invalid) and are rejected the same way.
/// </summary>
public static class Utf8Input
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="stream"/> to its end as strict UTF-8.</summary>
    /// <exception cref="InvalidDataException">The bytes are not UTF-8; the message names <paramref name="source"/> and the first bad byte.</exception>
    public static string ReadAll(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source);
    }

    /// <summary>Reads the file at <paramref name="path"/> as strict UTF-8 (config, recipe, manifest, vocabulary files).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not UTF-8; the message names the path and the first bad byte.</exception>
    public static string ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8.</summary>
    /// <exception cref="InvalidDataException">The bytes are not UTF-8; the message names <paramref name="source"/> and the first bad byte.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        Validate(bytes, source);
        return TryDecode(bytes)!;
    }

    /// <summary>Checks that <paramref name="bytes"/> are UTF-8 without decoding them (for bytes a JSON parser reads next).</summary>
    /// <exception cref="InvalidDataException">They are not; the message names <paramref name="source"/> and the first bad byte.</exception>
    public static void Validate(ReadOnlySpan<byte> bytes, string source)
    {
        if (FindError(bytes) is { } error) throw new InvalidDataException($"{source}: {error}; the input must be UTF-8 text");
    }

    /// <summary>Strict UTF-8 decoding; null when the bytes are not UTF-8 (then <see cref="FindError"/> says where).</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes)
    {
        var body = bytes[BomLength(bytes)..];
        return Utf8.IsValid(body) ? Strict.GetString(body) : null;
    }

    /// <summary>Strict UTF-8 decoding of a piece of a larger input (no byte-order mark is dropped); null when invalid.</summary>
    public static string? TryDecodePiece(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) ? Strict.GetString(bytes) : null;

    /// <summary>
    /// The first invalid sequence of <paramref name="bytes"/>, or null when they are UTF-8. <paramref name="firstOffset"/>
    /// and <paramref name="firstLine"/> place the bytes in a larger file (a JSON Lines record); bytes at offset 0 may
    /// start with a byte-order mark, which is skipped.
    /// </summary>
    public static Utf8Error? FindError(ReadOnlySpan<byte> bytes, long firstOffset = 0, long firstLine = 1)
    {
        var start = firstOffset == 0 ? BomLength(bytes) : 0;
        var offset = start;
        while (offset < bytes.Length && Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done) offset += consumed;
        if (offset >= bytes.Length) return null;
        var before = bytes[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = offset - (lineStart == 0 ? start : lineStart) + 1;
        return new Utf8Error(bytes[offset], firstOffset + offset, firstLine + before.Count((byte)'\n'), column);
    }

    private static int BomLength(ReadOnlySpan<byte> bytes) => bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
}
