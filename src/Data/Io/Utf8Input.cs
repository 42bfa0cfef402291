using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace CogLtx.Data;

/// <summary>
/// The one rule for text entering the tool: it must be UTF-8. Invalid bytes are rejected, never replaced by U+FFFD,
/// with an error naming the source and where the first bad byte is (readers of data files name the file, entry,
/// line and column; standard input is named "stdin" with its byte offset, line and column).
/// </summary>
public static class Utf8Input
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="stream"/> to its end as strict UTF-8 (a leading byte-order mark is dropped).</summary>
    /// <exception cref="InvalidDataException">The bytes are not UTF-8; the message names <paramref name="source"/> and the first bad byte.</exception>
    public static string ReadAll(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source);
    }

    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8 (a leading byte-order mark is dropped).</summary>
    /// <exception cref="InvalidDataException">The bytes are not UTF-8; the message names <paramref name="source"/> and the first bad byte.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        var bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var body = bytes[bom..];
        if (Utf8.IsValid(body)) return Strict.GetString(body);
        var offset = 0;
        while (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == OperationStatus.Done) offset += consumed;
        var before = body[..offset];
        var line = 1 + before.Count((byte)'\n');
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        throw new InvalidDataException(
            $"{source}: invalid UTF-8 byte 0x{body[offset]:X2} at byte offset {bom + offset} (line {line}, column {column}); the input must be UTF-8 text");
    }
}
