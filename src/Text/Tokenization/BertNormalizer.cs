using System.Text;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Settings of Hugging Face's <c>BertNormalizer</c> (<c>tokenizers/src/normalizers/bert.rs</c>). A null
/// <see cref="StripAccents"/> follows <see cref="Lowercase"/>: uncased vocabularies strip accents, cased ones keep them.
/// </summary>
public sealed record BertNormalizerOptions(
    bool CleanText = true, bool HandleChineseChars = true, bool? StripAccents = null, bool Lowercase = true);

/// <summary>
/// <c>BertNormalizer</c>, applied in its order: clean text (drop NUL, U+FFFD and Cc/Cf/Co controls; any white space
/// becomes ' '), pad CJK ideographs with spaces, strip accents (NFD, then drop Mn marks), lower-case (Rust
/// <c>char::to_lowercase</c>). Every step maps one code point to zero or more code points, so the steps run fused, one
/// code point at a time, with the alignment of each output unit kept (see <see cref="NormalizedText"/>).
/// </summary>
internal sealed class BertNormalizer
{
    private readonly bool cleanText, handleChineseChars, stripAccents, lowercase;

    /// <summary>ASCII fast path: the fused result of the four steps for each ASCII character, or -1 when it is dropped.</summary>
    private readonly short[] ascii = new short[128];

    public BertNormalizer(BertNormalizerOptions options)
    {
        cleanText = options.CleanText;
        handleChineseChars = options.HandleChineseChars;
        stripAccents = options.StripAccents ?? options.Lowercase;
        lowercase = options.Lowercase;
        for (var c = 0; c < 128; c++)
        {
            short mapped = (short)c;
            if (cleanText && (c == 0 || UnicodeClasses.IsControl(c))) mapped = -1;
            else if (cleanText && UnicodeClasses.IsWhiteSpace(c)) mapped = (short)' ';
            else if (lowercase && c is >= 'A' and <= 'Z') mapped = (short)(c + 32);
            ascii[c] = mapped;
        }
    }

    /// <summary>Normalizes <paramref name="text"/>[start, end) into <paramref name="output"/> (cleared first); alignments index <paramref name="text"/>.</summary>
    public void Normalize(string text, int start, int end, NormalizedText output)
    {
        output.Clear(end - start + 16);
        var span = text.AsSpan();
        for (var i = start; i < end;)
        {
            var c = span[i];
            if (c < 128)
            {
                var mapped = ascii[c];
                if (mapped >= 0) output.Append(mapped, i, i + 1);
                i++;
                continue;
            }
            var cp = UnicodeClasses.CodePointAt(span, i, out var length);
            NormalizeCodePoint(cp, i, i + length, output);
            i += length;
        }
    }

    /// <summary>Applies the normalizer to a bare string (an added token's content, for matching in normalized text).</summary>
    public string NormalizeString(string text)
    {
        var buffer = new NormalizedText();
        Normalize(text, 0, text.Length, buffer);
        return buffer.Span.ToString();
    }

    private void NormalizeCodePoint(int cp, int start, int end, NormalizedText output)
    {
        if (cleanText)
        {
            if (cp == 0xFFFD || UnicodeClasses.IsControl(cp)) return;
            if (UnicodeClasses.IsWhiteSpace(cp))
            {
                output.Append(' ', start, end);
                return;
            }
        }
        if (handleChineseChars && UnicodeClasses.IsChineseChar(cp))
        {
            output.Append(' ', start, end);
            StripAndLower(cp, start, end, output);
            output.Append(' ', start, end);
            return;
        }
        StripAndLower(cp, start, end, output);
    }

    private void StripAndLower(int cp, int start, int end, NormalizedText output)
    {
        if (!stripAccents)
        {
            Lower(cp, start, end, output);
            return;
        }
        Span<int> parts = stackalloc int[Nfd.MaxLength];
        var count = Nfd.Decompose(cp, parts);
        for (var k = 0; k < count; k++)
        {
            if (!UnicodeClasses.IsNonSpacingMark(parts[k])) Lower(parts[k], start, end, output);
        }
    }

    private void Lower(int cp, int start, int end, NormalizedText output)
    {
        if (!lowercase)
        {
            output.Append(cp, start, end);
            return;
        }
        if (cp == 0x130)
        {
            // Rust's to_lowercase('İ') is the full mapping "i\u{307}"; .NET's invariant casing leaves 'İ' unchanged.
            output.Append('i', start, end);
            output.Append(0x307, start, end);
            return;
        }
        output.Append(Rune.ToLowerInvariant(new Rune(cp)).Value, start, end);
    }
}
