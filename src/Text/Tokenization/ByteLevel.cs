namespace CogLtx.Text.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet and pre-tokenizer (<c>tokenizers/src/pre_tokenizers/byte_level.rs</c>, after OpenAI's
/// <c>encoder.py</c>). Every byte maps to one printable character: the printable Latin-1 bytes
/// ('!'..'~', '¡'..'¬', '®'..'ÿ') to themselves, the other 68 to U+0100 upwards in byte order, so a space is 'Ġ'.
/// </summary>
internal static class ByteLevel
{
    /// <summary>The symbol of byte 0x20, ' '.</summary>
    public const char SpaceSymbol = '\u0120';

    /// <summary>Symbol of each byte.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>Byte of each symbol, or -1 for characters outside the alphabet.</summary>
    public static readonly short[] CharToByte = BuildCharToByte();

    private enum Kind : byte { WhiteSpace, Letter, Number, Other }

    /// <summary>
    /// End of the pre-token starting at <paramref name="start"/> in <paramref name="text"/>, by the GPT-2 pattern
    /// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>, alternatives tried in order,
    /// on code points (a surrogate pair is one character; a lone surrogate counts as "other"). The pattern covers
    /// every character, so consecutive calls partition the text. The regex engine is replaced by this scanner for
    /// speed and because .NET's engine would see the two halves of a surrogate pair as separate characters.
    /// </summary>
    public static int NextPreTokenEnd(ReadOnlySpan<char> text, int start)
    {
        var c = text[start];
        if (c == '\'' && start + 1 < text.Length)
        {
            var c1 = text[start + 1];
            if (c1 is 's' or 't' or 'm' or 'd') return start + 2;
            if (start + 2 < text.Length)
            {
                var c2 = text[start + 2];
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return start + 3;
            }
        }
        if (c == ' ' && start + 1 < text.Length)
        {
            var next = KindAt(text, start + 1, out _);
            if (next != Kind.WhiteSpace) return ScanRun(text, start + 1, next);
        }
        var kind = KindAt(text, start, out _);
        if (kind != Kind.WhiteSpace) return ScanRun(text, start, kind);

        // \s+(?!\S): the white-space run, minus its last character when a non-space follows and the run is longer
        // than one; otherwise \s+ takes the single character.
        var end = ScanRun(text, start, Kind.WhiteSpace);
        return end < text.Length && end - start >= 2 ? end - 1 : end;
    }

    /// <summary>End of the run of characters of <paramref name="kind"/> starting at <paramref name="start"/>.</summary>
    private static int ScanRun(ReadOnlySpan<char> text, int start, Kind kind)
    {
        var i = start;
        while (i < text.Length)
        {
            if (KindAt(text, i, out var length) != kind) break;
            i += length;
        }
        return i;
    }

    private static Kind KindAt(ReadOnlySpan<char> text, int index, out int length)
    {
        var c = text[index];
        length = 1;
        if (c < 128)
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z') return Kind.Letter;
            if (c is >= '0' and <= '9') return Kind.Number;
            return c is ' ' or (>= '\t' and <= '\r') ? Kind.WhiteSpace : Kind.Other;
        }
        if (char.IsSurrogate(c))
        {
            if (!char.IsHighSurrogate(c) || index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1])) return Kind.Other;
            length = 2;
        }
        var cp = length == 2 ? char.ConvertToUtf32(c, text[index + 1]) : c;
        if (UnicodeClasses.IsLetter(cp)) return Kind.Letter;
        if (UnicodeClasses.IsNumber(cp)) return Kind.Number;
        return UnicodeClasses.IsWhiteSpace(cp) ? Kind.WhiteSpace : Kind.Other;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[512];
        Array.Fill(map, (short)-1);
        for (var b = 0; b < 256; b++) map[ByteToChar[b]] = (short)b;
        return map;
    }
}
