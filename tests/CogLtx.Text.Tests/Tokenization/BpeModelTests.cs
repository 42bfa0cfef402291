using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class BpeModelTests
{
    /// <summary>
    /// The 256 byte symbols (ids 0-255), the five RoBERTa specials (256-260) and merges, rank = order:
    /// 0 "b c", 1 "a b", 2 "a bc", 3 "a a", 4 "aa aa", 5 "Ġ a".
    /// </summary>
    private static ByteLevelBpeTokenizer Tiny()
    {
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++) vocab[ByteLevel.ByteToChar[b].ToString()] = b;
        foreach (var token in new[] { "<s>", "<pad>", "</s>", "<unk>", "<mask>", "ab", "bc", "abc", "aa", "aaaa", "Ġa" })
            vocab[token] = vocab.Count;
        return ByteLevelBpeTokenizer.FromVocab(vocab, ["b c", "a b", "a bc", "a a", "aa aa", "Ġ a"]);
    }

    private static string[] Tokens(ITokenizer tokenizer, string text) => tokenizer.Tokenize(text).Select(t => t.Text).ToArray();

    [Theory]
    [InlineData("abc", new[] { "abc" })]       // "b c" (rank 0) first, then "a bc" (rank 2); "a b" (rank 1) never applies.
    [InlineData("ab", new[] { "ab" })]
    [InlineData("aaa", new[] { "aa", "a" })]    // equal ranks: the leftmost pair merges first.
    [InlineData("aaaaa", new[] { "aaaa", "a" })] // a a|a a|a → aa aa a → aaaa a.
    [InlineData("cab", new[] { "c", "ab" })]
    public void Tokenize_MergesLowestRankFirstThenLeftmost(string text, string[] expected)
    {
        Assert.Equal(expected, Tokens(Tiny(), text));
    }

    [Fact]
    public void Tokenize_MultiByteCharacters_GiveEachByteTokenTheWholeCharacterSpan()
    {
        // é = C3 A9 → 'Ã' '©'; 😀 = F0 9F 98 80 → four symbols, each spanning the surrogate pair [1, 3).
        var tokens = Tiny().Tokenize("é\U0001F600");
        Assert.Equal(["Ã", "©", "ð", "Ł", "ĺ", "Ģ"], tokens.Select(t => t.Text));
        Assert.Equal([(0, 1), (0, 1), (1, 3), (1, 3), (1, 3), (1, 3)], tokens.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void Tokenize_TrimsTheSpaceOfLeadingSpaceTokensFromOffsets()
    {
        // "x a": " a" is one pre-token → "Ġa" over [1, 3), trimmed to [2, 3); a lone trailing space becomes empty.
        var tokens = Tiny().Tokenize("x a ");
        Assert.Equal(["x", "Ġa", "Ġ"], tokens.Select(t => t.Text));
        Assert.Equal([(0, 1), (2, 3), (4, 4)], tokens.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void Tokenize_MaskWithLStrip_AbsorbsTheSpaceBeforeIt()
    {
        var tokens = Tiny().Tokenize("ab <mask>c");
        Assert.Equal(["ab", " <mask>", "c"], tokens.Select(t => t.Text));
        Assert.Equal([261, 260, 99], tokens.Select(t => t.Id));
        Assert.Equal([(0, 2), (3, 9), (9, 10)], tokens.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void Tokenize_EmojiNextToMask_KeepsSurrogatePairsWhole()
    {
        var tokens = Tiny().Tokenize("\U0001F600 <mask>\U0001F600");
        Assert.Equal([(0, 2), (0, 2), (0, 2), (0, 2), (3, 9), (9, 11), (9, 11), (9, 11), (9, 11)], tokens.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void Encode_Pair_UsesDoubleSeparatorAndTypeIdZero()
    {
        var encoding = Tiny().Encode("ab", "c");
        Assert.Equal(["<s>", "ab", "</s>", "</s>", "c", "</s>"], encoding.Tokens);
        Assert.Equal([0, 0, 0, 0, 0, 0], encoding.TypeIds);
        Assert.Equal([-1, 0, -1, -1, 1, -1], encoding.SequenceIds!);
    }

    [Fact]
    public void Decode_IsTheInverseOfByteLevelEncoding()
    {
        var tokenizer = Tiny();
        var text = "abc aaaaa é\U0001F600 \n x";
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text).Ids));
    }

    [Fact]
    public void Merge_SmallWordPathAndQueuePath_Agree()
    {
        // The stack-array path (words up to 128 bytes) and the priority-queue path must give the same merges.
        var folder = TokenizerFixtures.Folder(TokenizerFixtures.Roberta);
        var (merges, lines) = TokenizerLoader.ReadMerges(Path.Combine(folder, "merges.txt"));
        var model = new BpeModel(TokenizerLoader.ReadVocabJson(Path.Combine(folder, "vocab.json")), merges, "vocab.json", r => $"line {lines[r]}");
        var words = new List<string>();
        foreach (var record in TokenizerFixtures.Records(TokenizerFixtures.Roberta))
        {
            for (var i = 0; i < record.Text.Length;)
            {
                var end = ByteLevel.NextPreTokenEnd(record.Text, i);
                words.Add(record.Text[i..end]);
                i = end;
            }
        }
        var random = new Random(20201206);
        for (var k = 0; k < 20; k++)
            words.Add(new string(Enumerable.Range(0, 40 + k * 5).Select(_ => "aeiouxyzqt"[random.Next(10)]).ToArray()));
        foreach (var word in words) Assert.Equal(model.Merge(word, forceQueue: true), model.Merge(word));
    }

    [Fact]
    public void Tokenize_LongWordBeyondTheSmallPath_MatchesItsPieces()
    {
        // 300 letters take the queue path; "abc" repeated merges to "abc" tokens exactly as three-letter words do.
        var text = string.Concat(Enumerable.Repeat("abc", 100));
        Assert.All(Tokens(Tiny(), text), t => Assert.Equal("abc", t));
    }
}
