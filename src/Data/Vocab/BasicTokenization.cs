using System.Globalization;
using System.Text;

namespace CogLtx.Data;

/// <summary>
/// BERT's pre-tokenization (transformers tokenization_bert.py <c>BasicTokenizer</c>): drop NUL, U+FFFD and control
/// characters, split on whitespace, optionally lower-case, split every punctuation character (ASCII symbol ranges or
/// Unicode category P*) and every CJK ideograph into its own token. These are the "words" a WordPiece vocabulary is
/// built from, and the token count the synthetic generator measures lengths in.
/// <para>
/// Deviation: uncased BERT also strips accents through NFD; .NET's normaliser is unavailable under invariant
/// globalization, so accents are kept. A vocabulary built here still covers accented words through its
/// single-character pieces; pass the Text project's pre-tokenizer to <see cref="WordPieceVocabBuilder.Build(IEnumerable{string}, WordPieceVocabOptions?)"/> to
/// match a tokenizer that strips them.
/// </para>
/// </summary>
public static class BasicTokenization
{
    /// <summary>The basic tokens of <paramref name="text"/>.</summary>
    public static List<string> Split(string text, bool lowercase = true)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0) return;
            tokens.Add(lowercase ? word.ToString().ToLowerInvariant() : word.ToString());
            word.Clear();
        }
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || (IsControl(rune) && !IsWhitespace(rune))) continue;
            if (IsWhitespace(rune)) { Flush(); continue; }
            if (IsPunctuation(rune) || IsCjk(cp))
            {
                Flush();
                tokens.Add(rune.ToString());
                continue;
            }
            word.Append(rune.ToString());
        }
        Flush();
        return tokens;
    }

    /// <summary>Number of basic tokens; with a word-level vocabulary this is the WordPiece length.</summary>
    public static int Count(string text) => Split(text, lowercase: false).Count;

    private static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune r) =>
        r.Value is not ('\t' or '\n' or '\r') && Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsPunctuation(Rune r) =>
        r.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    /// <summary>The CJK Unified Ideograph blocks BERT isolates (<c>_is_chinese_char</c>).</summary>
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
