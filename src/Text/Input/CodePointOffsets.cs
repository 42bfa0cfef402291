namespace CogLtx.Text.Input;

/// <summary>
/// The unit a character offset counts. .NET strings, and so the engine, index UTF-16 code units; Python's <c>str</c>,
/// and so Hugging Face's <c>offset_mapping</c> and the training JSONL, index code points. The two agree on text
/// without characters outside the Basic Multilingual Plane (emoji, some CJK): each of those is two UTF-16 units and
/// one code point.
/// </summary>
public enum OffsetUnit
{
    /// <summary>UTF-16 code units (.NET, JavaScript, Java).</summary>
    Utf16,

    /// <summary>Unicode code points (Python, Hugging Face).</summary>
    CodePoints,
}

/// <summary>
/// Offsets of one text converted between UTF-16 code units and code points, in O(1) per offset after one pass over
/// the text. Text without surrogates keeps no table: both conversions are the identity. A lone surrogate counts as one
/// code point, as Python counts it.
/// </summary>
public sealed class CodePointOffsets
{
    private readonly string text;
    private readonly int[]? lowSurrogatesBefore; // [i]: surrogate pairs completed before UTF-16 offset i
    private int[]? utf16Starts;

    private CodePointOffsets(string text)
    {
        this.text = text;
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return;
        lowSurrogatesBefore = new int[text.Length + 1];
        for (var i = 0; i < text.Length; i++)
            lowSurrogatesBefore[i + 1] = lowSurrogatesBefore[i] + (i > 0 && char.IsSurrogatePair(text[i - 1], text[i]) ? 1 : 0);
    }

    /// <summary>The conversions for <paramref name="text"/>.</summary>
    public static CodePointOffsets For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CodePointOffsets(text);
    }

    /// <summary>The text's length in code points.</summary>
    public int Length => lowSurrogatesBefore is null ? text.Length : text.Length - lowSurrogatesBefore[^1];

    /// <summary>
    /// The code-point offset of UTF-16 offset <paramref name="utf16"/> (0 ≤ utf16 ≤ text length). An offset between
    /// the two halves of a pair maps to the pair's code point, as its start.
    /// </summary>
    public int FromUtf16(int utf16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(utf16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16, text.Length);
        return lowSurrogatesBefore is null ? utf16 : utf16 - lowSurrogatesBefore[utf16];
    }

    /// <summary>The UTF-16 offset of code-point offset <paramref name="codePoints"/> (0 ≤ codePoints ≤ <see cref="Length"/>).</summary>
    public int ToUtf16(int codePoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codePoints, Length);
        if (lowSurrogatesBefore is null) return codePoints;
        utf16Starts ??= Starts();
        return utf16Starts[codePoints];
    }

    /// <summary>The code-point offsets of the UTF-16 span [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public (int Start, int End) FromUtf16(int start, int end) => (FromUtf16(start), FromUtf16(end));

    private int[] Starts()
    {
        var starts = new int[Length + 1];
        var k = 0;
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) starts[k++] = i;
        starts[k] = text.Length;
        return starts;
    }
}
