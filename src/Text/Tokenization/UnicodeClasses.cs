using System.Globalization;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// The character classes the Hugging Face <c>tokenizers</c> normalizers and pre-tokenizers use, on code points
/// (Rust <c>char</c>). A .NET string may hold a lone surrogate, which a Rust string cannot: <see cref="CodePointAt"/>
/// reads it as U+FFFD, the replacement character, like <see cref="System.Text.Encoding.UTF8"/> does.
/// </summary>
internal static class UnicodeClasses
{
    private const byte WhiteSpaceFlag = 1, ControlFlag = 2, PunctuationFlag = 4, LetterFlag = 8, NumberFlag = 16;

    private static readonly byte[] Ascii = BuildAsciiTable();

    /// <summary>The code point at <paramref name="index"/> and its length in UTF-16 units (2 for a surrogate pair).</summary>
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        var c = text[index];
        if (!char.IsSurrogate(c))
        {
            length = 1;
            return c;
        }
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }
        length = 1;
        return 0xFFFD;
    }

    /// <summary>
    /// Rust <c>char::is_whitespace</c>: the Unicode White_Space property, which is exactly .NET's white-space set. All
    /// such characters are in the BMP; a surrogate code unit (half of a pair, or lone) is not white space.
    /// </summary>
    public static bool IsWhiteSpace(int cp) => cp < 0x80 ? (Ascii[cp] & WhiteSpaceFlag) != 0 : cp <= 0xFFFF && char.IsWhiteSpace((char)cp);

    /// <summary>
    /// <c>BertNormalizer</c>'s <c>is_control</c>: the <c>unicode_categories</c> crate's <c>is_other</c>, i.e. categories
    /// Cc, Cf and Co (not Cn), except tab, newline and carriage return, which count as white space.
    /// </summary>
    public static bool IsControl(int cp)
    {
        if (cp < 0x80) return (Ascii[cp] & ControlFlag) != 0;
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse;
    }

    /// <summary><c>BertPreTokenizer</c>'s <c>is_bert_punc</c>: ASCII punctuation (which includes $ + &lt; = &gt; ^ ` | ~) or any Unicode P* category.</summary>
    public static bool IsPunctuation(int cp)
    {
        if (cp < 0x80) return (Ascii[cp] & PunctuationFlag) != 0;
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>
    /// <c>BertNormalizer</c>'s <c>is_chinese_char</c>: the CJK Unified Ideographs blocks and extensions it lists. The range
    /// 0x2B920..0x2CEAF is copied as <c>tokenizers</c> has it (Google's BERT wrote 0x2B820).
    /// </summary>
    public static bool IsChineseChar(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>General category Mn, the marks <c>BertNormalizer</c> strips after NFD.</summary>
    public static bool IsNonSpacingMark(int cp) =>
        cp >= 0x300 && CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.NonSpacingMark;

    /// <summary>\p{L}: any letter category.</summary>
    public static bool IsLetter(int cp)
    {
        if (cp < 0x80) return (Ascii[cp] & LetterFlag) != 0;
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
    }

    /// <summary>\p{N}: any number category.</summary>
    public static bool IsNumber(int cp)
    {
        if (cp < 0x80) return (Ascii[cp] & NumberFlag) != 0;
        return CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
            or UnicodeCategory.OtherNumber;
    }

    /// <summary>
    /// Rust regex <c>\w</c> (alphabetic, marks, decimal digits, connector punctuation), used by added tokens marked
    /// <c>single_word</c>. Approximated by categories: Alphabetic also holds a few Nl/So characters this misses.
    /// </summary>
    public static bool IsWordChar(int cp)
    {
        if (cp < 0x80) return (Ascii[cp] & (LetterFlag | NumberFlag)) != 0 || cp == '_';
        return IsLetter(cp) || CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation;
    }

    private static byte[] BuildAsciiTable()
    {
        var table = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            byte flags = 0;
            if (c is ' ' or (>= 9 and <= 13)) flags |= WhiteSpaceFlag;
            if ((c < 32 || c == 127) && c is not ('\t' or '\n' or '\r')) flags |= ControlFlag;
            if (c is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)) flags |= PunctuationFlag;
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z')) flags |= LetterFlag;
            if (c is >= '0' and <= '9') flags |= NumberFlag;
            table[c] = flags;
        }
        return table;
    }
}
