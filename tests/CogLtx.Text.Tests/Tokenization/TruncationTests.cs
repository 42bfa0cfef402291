using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class TruncationTests
{
    private static List<Token> Tokens(int n) => Enumerable.Range(0, n).Select(i => new Token(i, "t", i, i + 1)).ToList();

    /// <summary>
    /// tokenizers' own longest_first table (utils/truncation.rs), budget 7. With n1 ≤ n2: both kept if they fit;
    /// else the longer gets max(n1, 7 - n1) if that fits; else budget/2 for the shorter and the rest for the longer.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0, 0)] [InlineData(0, 2, 0, 2)] [InlineData(0, 4, 0, 4)] [InlineData(0, 8, 0, 7)]
    [InlineData(2, 0, 2, 0)] [InlineData(2, 2, 2, 2)] [InlineData(2, 4, 2, 4)] [InlineData(2, 8, 2, 5)]
    [InlineData(4, 0, 4, 0)] [InlineData(4, 2, 4, 2)] [InlineData(4, 4, 3, 4)] [InlineData(4, 8, 3, 4)]
    [InlineData(8, 0, 7, 0)] [InlineData(8, 2, 5, 2)] [InlineData(8, 4, 4, 3)] [InlineData(8, 8, 3, 4)]
    public void Apply_LongestFirst_MatchesTokenizersTable(int lengthA, int lengthB, int expectedA, int expectedB)
    {
        var a = Tokens(lengthA);
        var b = Tokens(lengthB);
        Truncation.Apply(a, b, 7);
        Assert.Equal((expectedA, expectedB), (a.Count, b.Count));
        Assert.Equal(Enumerable.Range(0, expectedA), a.Select(t => t.Id)); // the right end is cut
    }

    /// <summary>
    /// Hand cases checked against transformers 5.12.1's AutoTokenizer on bert-base-uncased
    /// (tests/fixtures/tokenizers/truncation_check.py): "cat" × first and "dog" × second (one token each), max_length
    /// counting [CLS] and two [SEP]. With both texts over half the budget and the budget odd, the extra token goes to the
    /// longer text, to the second on a tie (13 = 6 + 7). transformers' Python tokenizers (BertTokenizerLegacy) would
    /// give it to the first: (10, 20, 16) → (7, 6) there.
    /// </summary>
    [Theory]
    [InlineData(10, 20, 16, 6, 7)]
    [InlineData(20, 10, 16, 7, 6)]
    [InlineData(9, 9, 16, 6, 7)]
    [InlineData(4, 8, 10, 3, 4)]
    [InlineData(8, 8, 10, 3, 4)]
    [InlineData(8, 4, 10, 4, 3)]
    [InlineData(2, 8, 10, 2, 5)]
    [InlineData(10, 20, 17, 7, 7)]
    public void Encode_PairOverBudget_KeepsWhatAutoTokenizerKeeps(int first, int second, int maxLength, int keptFirst, int keptSecond)
    {
        foreach (var variant in new[] { "uncased/tokenizer.json", "uncased/vocab.txt" })
        {
            var tokenizer = TokenizerFixtures.Get(variant);
            var encoding = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", first)), string.Join(' ', Enumerable.Repeat("dog", second)), maxLength: maxLength);
            Assert.Equal((keptFirst, keptSecond), (encoding.Tokens.Count(t => t == "cat"), encoding.Tokens.Count(t => t == "dog")));
            Assert.Equal(keptFirst + keptSecond + 3, encoding.Ids.Length);
        }
    }

    [Fact]
    public void Encode_LongText_TruncatesToMaxLengthKeepingSpecialTokens()
    {
        var tokenizer = TokenizerFixtures.Get("uncased/tokenizer.json");
        var text = TokenizerFixtures.Record(TokenizerFixtures.BertUncased, "paragraph_2000_words").Text;
        var full = tokenizer.Encode(text);
        var cut = tokenizer.Encode(text, maxLength: 512);
        Assert.Equal(512, cut.Ids.Length);
        Assert.Equal(full.Ids[..511], cut.Ids[..511]);
        Assert.Equal(tokenizer.Specials.Sep, cut.Ids[511]);
    }

    [Fact]
    public void Encode_PairOverMaxLength_CutsTheLongerSequenceFirst()
    {
        var tokenizer = TokenizerFixtures.Get("roberta/vocab.json+merges.txt");
        var context = TokenizerFixtures.Record(TokenizerFixtures.Roberta, "paragraph_2000_words").Text;
        var encoding = tokenizer.Encode("Who wrote it?", context, maxLength: 64);
        Assert.Equal(64, encoding.Ids.Length);
        // <s> + 4 question tokens + </s></s> + 56 context tokens + </s>: the question stays whole.
        Assert.Equal(4, encoding.SequenceIds!.Count(s => s == 0));
        Assert.Equal(56, encoding.SequenceIds!.Count(s => s == 1));
    }

    [Fact]
    public void Encode_MaxLengthBelowTheSpecialTokens_Throws()
    {
        var tokenizer = TokenizerFixtures.Get("cased/vocab.txt");
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Encode("a", "b", maxLength: 2));
        Assert.Equal(["[CLS]", "[SEP]", "[SEP]"], tokenizer.Encode("a", "b", maxLength: 3).Tokens);
    }
}
