using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

/// <summary>Hand-worked cases on a tiny vocabulary: each pins one rule of the BERT pipeline.</summary>
public sealed class WordPieceTokenizerTests
{
    private static readonly string[] Vocab =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", // 0-4
        "un", "##aff", "##able", "aff", "able",      // 5-9
        "hello", ",", "!", "world", "##s",           // 10-14
        "ca", "n", "中", "文", "a",                  // 15-19
        "##a", "x", "##\U0001D400", "##\U0001D401", "i", // 20-24
        "\u0307", "##\u0307", "b", "hi", "there",    // 25-29
    ];

    private static WordPieceTokenizer Uncased() => WordPieceTokenizer.FromVocab(Vocab, lowercase: true);

    private static (string Token, int Start, int End)[] Pieces(ITokenizer tokenizer, string text) =>
        tokenizer.Tokenize(text).Select(t => (t.Text, t.Start, t.End)).ToArray();

    [Fact]
    public void Tokenize_GreedyLongestMatch_PrefixesContinuations()
    {
        // "unaffable": "unaffable", "unaffabl", … fail; "un" is the longest start; then "##affable" … "##aff"; then "##able".
        Assert.Equal([("un", 0, 2), ("##aff", 2, 5), ("##able", 5, 9)], Pieces(Uncased(), "unaffable"));
    }

    [Fact]
    public void Tokenize_WordWithAnUncoveredRest_IsOneUnknownOverTheWholeWord()
    {
        // "unx": "un" matches but no "##x" exists, so the pieces found so far are discarded.
        Assert.Equal([("hello", 0, 5), ("[UNK]", 6, 9)], Pieces(Uncased(), "hello unx"));
    }

    [Fact]
    public void Tokenize_WordOfMoreThan100CodePoints_IsUnknown()
    {
        var hundred = new string('a', 100);
        Assert.Equal(100, Uncased().Tokenize(hundred).Count);
        Assert.Equal([("[UNK]", 0, 101)], Pieces(Uncased(), hundred + "a"));
    }

    [Fact]
    public void Tokenize_SurrogatePairs_AreNeverSplitAndOffsetsCountUtf16Units()
    {
        // x 𝐀 𝐁: each math-bold letter is two UTF-16 units; the limit of 100 counts code points, not units.
        Assert.Equal([("x", 0, 1), ("##\U0001D400", 1, 3), ("##\U0001D401", 3, 5)], Pieces(Uncased(), "x\U0001D400\U0001D401"));
        var fiftyPairs = "x" + string.Concat(Enumerable.Repeat("\U0001D400", 99));
        Assert.Equal(100, Uncased().Tokenize(fiftyPairs).Count);
    }

    [Fact]
    public void Tokenize_Uncased_StripsAccentsAndLowercasesWithOriginalOffsets()
    {
        // "Ça" → NFD "C" + U+0327 + "a" → mark dropped → "ca"; "Ñ" → "n". Offsets still index the original.
        Assert.Equal([("ca", 0, 2), ("n", 3, 4)], Pieces(Uncased(), "Ça Ñ"));
        // A decomposed spelling gives the same token; the dropped mark takes its span with it, as HF's filter does.
        Assert.Equal([("n", 0, 1)], Pieces(Uncased(), "n\u0303"));
    }

    [Fact]
    public void Tokenize_Cased_KeepsAccentsAndCase()
    {
        var cased = WordPieceTokenizer.FromVocab(Vocab, lowercase: false);
        Assert.Equal([("[UNK]", 0, 2), ("[UNK]", 3, 8)], Pieces(cased, "Ça Hello"));
    }

    [Fact]
    public void Tokenize_LowercaseWithoutStripping_MapsDottedCapitalIToTwoCharacters()
    {
        // Rust's to_lowercase('İ') is "i\u0307"; both pieces keep the span of the one original character.
        var tokenizer = WordPieceTokenizer.FromVocab(Vocab, lowercase: true, stripAccents: false);
        Assert.Equal([("i", 0, 1), ("##\u0307", 0, 1)], Pieces(tokenizer, "İ"));
    }

    [Fact]
    public void Tokenize_CjkIdeographs_AreWordsOfTheirOwn()
    {
        Assert.Equal([("a", 0, 1), ("中", 1, 2), ("文", 2, 3), ("a", 3, 4)], Pieces(Uncased(), "a中文a"));
    }

    [Fact]
    public void Tokenize_ControlAndFormatCharactersVanish_WhiteSpaceSeparates()
    {
        // ZWSP (Cf), NUL and a private-use character are removed, so "a\u200Ba" is the word "aa"; tab and NBSP separate.
        Assert.Equal([("a", 0, 1), ("##a", 2, 3), ("x", 4, 5), ("b", 6, 7), ("a", 10, 11)],
            Pieces(Uncased(), "a\u200Ba\tx\u00A0b\uE000\0 a"));
    }

    [Fact]
    public void Tokenize_Punctuation_IsIsolated()
    {
        Assert.Equal([("hi", 0, 2), (",", 2, 3), ("there", 3, 8), ("!", 8, 9)], Pieces(Uncased(), "hi,there!"));
    }

    [Fact]
    public void Tokenize_SpecialTokensInText_MatchOnlyTheirExactSpelling()
    {
        var tokens = Uncased().Tokenize("[CLS]hi [MASK]");
        Assert.Equal([2, 28, 4], tokens.Select(t => t.Id));
        Assert.Equal((5, 7), (tokens[1].Start, tokens[1].End));
        // Lower-case "[mask]" is text: "[" is punctuation, not in this vocabulary, so it is unknown.
        Assert.Equal(["[UNK]", "[UNK]", "[UNK]"], Uncased().Tokenize("[mask]").Select(t => t.Text));
    }

    [Fact]
    public void Tokenize_NormalizedAddedToken_MatchesTheNormalizedText()
    {
        // An added token with normalized=true is lower-cased like the text, so "HELLO" in the text finds it.
        var vocab = Vocab.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var added = new List<AddedToken> { new(2, "[CLS]"), new(3, "[SEP]"), new(100, "HeLLo", Special: false, Normalized: true) };
        var tokenizer = new WordPieceTokenizer(vocab, new BertNormalizerOptions(), added,
            new SpecialTokens(2, 3, 0, 1, 4), PostProcessor.Bert(2, "[CLS]", 3, "[SEP]"));
        var tokens = tokenizer.Tokenize("a HELLO b");
        Assert.Equal([19, 100, 27], tokens.Select(t => t.Id));
        Assert.Equal(("hello", 2, 7), (tokens[1].Text, tokens[1].Start, tokens[1].End));
        Assert.Equal(101, tokenizer.VocabSize);
        Assert.Equal("HeLLo", tokenizer.IdToToken(100));
    }

    [Fact]
    public void Encode_Pair_AddsClsSepAndMarksTheSecondSequence()
    {
        var encoding = Uncased().Encode("hello", "world!");
        Assert.Equal(["[CLS]", "hello", "[SEP]", "world", "!", "[SEP]"], encoding.Tokens);
        Assert.Equal([0, 0, 0, 1, 1, 1], encoding.TypeIds);
        Assert.Equal([-1, 0, -1, 1, 1, -1], encoding.SequenceIds!);
        Assert.Equal([(0, 0), (0, 5), (0, 0), (0, 5), (5, 6), (0, 0)], encoding.Offsets);
    }

    [Fact]
    public void Encode_WithoutSpecialTokens_KeepsTheTemplateTypeIds()
    {
        var encoding = Uncased().Encode("hello", "world", addSpecialTokens: false);
        Assert.Equal([10, 13], encoding.Ids);
        Assert.Equal([0, 1], encoding.TypeIds);
    }

    [Fact]
    public void Decode_GluesContinuationsCleansPunctuationAndSkipsSpecials()
    {
        // [CLS] hello , world ##s ! [SEP] [PAD]
        Assert.Equal("hello, worlds!", Uncased().Decode([2, 10, 11, 13, 14, 12, 3, 0]));
    }

    [Fact]
    public void IdToToken_UnknownId_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Uncased().IdToToken(30));
        Assert.Contains("30", e.Message);
        Assert.Null(Uncased().TokenToId("nope"));
        Assert.Equal(13, Uncased().TokenToId("world"));
    }
}
