using System.Text;

namespace CogLtx.Tests.Shared;

/// <summary>
/// Seeded generator of hostile text for the property tests of every reader and command (issue 13 item 4): random
/// bytes, random Unicode (ASCII, Latin, CJK, characters outside the BMP, combining marks, control characters, odd
/// white space, byte-order marks), empty and white-space-only documents, and lines of several MB. Linked into each
/// test project that feeds text to the tool; every draw comes from the <see cref="Random"/> it is given.
/// </summary>
internal static class RandomInputs
{
    private static readonly (int From, int To)[] Ranges =
    [
        (0x20, 0x7E), (0x20, 0x7E), (0x20, 0x7E),   // ASCII, most of the time
        (0x00, 0x1F), (0x7F, 0x9F),                 // control characters (NUL, tab, CR, LF, DEL, C1)
        (0xA0, 0x17F),                              // Latin-1 and Latin Extended-A
        (0x300, 0x36F),                             // combining marks
        (0x4E00, 0x4FFF),                           // CJK
        (0x0600, 0x06FF),                           // Arabic
        (0x2000, 0x206F),                           // general punctuation: zero-width, line/paragraph separators
        (0xE000, 0xE0FF),                           // private use
        (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFF),         // BOM, replacement character, non-characters
        (0x1F300, 0x1F6FF),                         // emoji, outside the BMP
        (0x10000, 0x10FFFF),                        // anything outside the BMP
    ];

    /// <summary>Bytes drawn uniformly: almost never UTF-8 past a few bytes.</summary>
    public static byte[] Bytes(Random rng, int maxLength)
    {
        var bytes = new byte[rng.Next(0, maxLength + 1)];
        rng.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Well-formed Unicode (no lone surrogates) of up to <paramref name="maxCodePoints"/> code points.</summary>
    public static string Unicode(Random rng, int maxCodePoints)
    {
        var builder = new StringBuilder();
        var count = rng.Next(0, maxCodePoints + 1);
        for (var i = 0; i < count; i++)
        {
            var (from, to) = Ranges[rng.Next(Ranges.Length)];
            var cp = rng.Next(from, to + 1);
            if (cp is >= 0xD800 and <= 0xDFFF) cp = 'x';
            builder.Append(char.ConvertFromUtf32(cp));
        }
        return builder.ToString();
    }

    /// <summary>Like <see cref="Unicode"/> but with lone high or low surrogates mixed in (only formats with \u escapes can carry them).</summary>
    public static string WithLoneSurrogates(Random rng, int maxCodePoints)
    {
        var text = new StringBuilder(Unicode(rng, maxCodePoints));
        var count = 1 + rng.Next(3);
        for (var i = 0; i < count; i++) text.Insert(rng.Next(text.Length + 1), (char)rng.Next(0xD800, 0xE000));
        // Inserted surrogates can pair up by chance; make sure at least one stays alone.
        var result = text.ToString();
        return HasLoneSurrogate(result) ? result : result + '\uDC00';
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    /// <summary>Empty or white space only: spaces, tabs, newlines, CR, NBSP, ideographic space, U+2028.</summary>
    public static string Whitespace(Random rng, int maxLength)
    {
        const string blanks = " \t\n\r\u00A0\u3000\u2028\u000B\u000C";
        return new string([.. Enumerable.Range(0, rng.Next(0, maxLength + 1)).Select(_ => blanks[rng.Next(blanks.Length)])]);
    }

    /// <summary>A line of <paramref name="length"/> characters with no newline: words and spaces, or one unbroken run.</summary>
    public static string HugeLine(Random rng, int length, bool unbroken)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = !unbroken && rng.Next(6) == 0 ? ' ' : (char)('a' + rng.Next(26));
        return new string(chars);
    }

    /// <summary>UTF-8 bytes of <paramref name="valid"/> with one byte sequence that is not UTF-8 put at a random place; returns its offset.</summary>
    public static (byte[] Bytes, int Offset) Corrupt(Random rng, string valid)
    {
        byte[][] bad = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE9], [0x80], [0xF4, 0x90, 0x80, 0x80]];
        var bytes = Encoding.UTF8.GetBytes(valid);
        // Cut at a code point boundary, so the inserted sequence is the first invalid one.
        var at = rng.Next(bytes.Length + 1);
        while (at < bytes.Length && (bytes[at] & 0xC0) == 0x80) at++;
        return ([.. bytes[..at], .. bad[rng.Next(bad.Length)], .. bytes[at..]], at);
    }

    /// <summary>JSON string literal of <paramref name="text"/>, every non-ASCII UTF-16 unit \u-escaped (so lone surrogates survive).</summary>
    public static string JsonString(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c < 0x20 || c > 0x7E) builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
