using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace CogLtx.Data;

/// <summary>Byte → text decoding with errors that say where the bad byte is.</summary>
internal static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Latin-1 (ISO-8859-1): every byte is the code point of the same value, so decoding never fails (20 Newsgroups, spec §7).</summary>
    public static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Strict UTF-8 (a leading byte-order mark is dropped); null when the bytes are not valid UTF-8.</summary>
    public static string? TryUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        return Utf8.IsValid(bytes) ? StrictUtf8.GetString(bytes) : null;
    }

    /// <summary>
    /// Describes the first invalid UTF-8 sequence: <c>invalid UTF-8 byte 0xA3 at line 4, column 17 (expected UTF-8 text)</c>,
    /// with the line counted from <paramref name="firstLine"/>.
    /// </summary>
    public static (long Line, string Problem) DescribeInvalidUtf8(ReadOnlySpan<byte> bytes, long firstLine = 1)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != OperationStatus.Done) break;
            offset += consumed;
        }
        if (offset >= bytes.Length) return (firstLine, "valid UTF-8");
        var before = bytes[..offset];
        var line = firstLine + before.Count((byte)'\n');
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return (line, $"invalid UTF-8 byte 0x{bytes[offset]:X2} at column {column} (expected UTF-8 text; is the file Latin-1?)");
    }
}
