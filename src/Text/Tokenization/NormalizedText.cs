namespace CogLtx.Text.Tokenization;

/// <summary>
/// A normalized string and, for each of its UTF-16 units, the span [start, end) of the original string it came from:
/// Hugging Face's <c>NormalizedString</c> alignments (<c>tokenizers/src/tokenizer/normalizer.rs</c>), kept in UTF-16
/// units of the original instead of UTF-8 bytes so that offsets come out as .NET string indices directly. A character
/// that expands (NFD, CJK padding, 'İ' lower-casing) gives every output unit the span of its source character, as
/// <c>transform</c> does for inserted characters. A span of normalized units maps back to
/// [Starts[first], Ends[last]), as <c>convert_offsets</c> does.
/// </summary>
internal sealed class NormalizedText
{
    public char[] Chars = new char[256];
    public int[] Starts = new int[256];
    public int[] Ends = new int[256];
    public int Length;

    public ReadOnlySpan<char> Span => Chars.AsSpan(0, Length);

    public void Clear(int capacityHint)
    {
        Length = 0;
        if (Chars.Length < capacityHint) Grow(capacityHint);
    }

    /// <summary>Appends one code point (1 or 2 units), aligned to the original span [start, end).</summary>
    public void Append(int codePoint, int start, int end)
    {
        if (Length + 2 > Chars.Length) Grow(Length + 2);
        if (codePoint < 0x10000)
        {
            Chars[Length] = (char)codePoint;
            Starts[Length] = start;
            Ends[Length] = end;
            Length++;
            return;
        }
        var v = codePoint - 0x10000;
        Chars[Length] = (char)(0xD800 + (v >> 10));
        Chars[Length + 1] = (char)(0xDC00 + (v & 0x3FF));
        Starts[Length] = Starts[Length + 1] = start;
        Ends[Length] = Ends[Length + 1] = end;
        Length += 2;
    }

    private void Grow(int needed)
    {
        var size = Math.Max(needed, Chars.Length * 2);
        Array.Resize(ref Chars, size);
        Array.Resize(ref Starts, size);
        Array.Resize(ref Ends, size);
    }
}
