using System.Text;
using CogLtx.Text.Input;

namespace CogLtx.Data;

/// <summary>Byte → text decoding for the data readers: strict UTF-8 through <see cref="Utf8Input"/>, or Latin-1 where a data set is Latin-1.</summary>
internal static class TextDecoding
{
    /// <summary>Latin-1 (ISO-8859-1): every byte is the code point of the same value, so decoding never fails (20 Newsgroups, spec §7).</summary>
    public static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>
    /// The issue for bytes that are not UTF-8, at the line of the first bad byte:
    /// <c>invalid UTF-8 byte 0xA3 at byte offset 57 (line 3, column 16); expected UTF-8 text (is the file Latin-1?)</c>.
    /// <paramref name="firstOffset"/> and <paramref name="firstLine"/> place the bytes in their file.
    /// </summary>
    public static DataIssue InvalidUtf8(string file, string? entry, ReadOnlySpan<byte> bytes, long firstOffset = 0, long firstLine = 1)
    {
        var error = Utf8Input.FindError(bytes, firstOffset, firstLine) ?? throw new ArgumentException("the bytes are valid UTF-8", nameof(bytes));
        return new DataIssue(file, entry, error.Line, $"{error}; expected UTF-8 text (is the file Latin-1?)");
    }
}
