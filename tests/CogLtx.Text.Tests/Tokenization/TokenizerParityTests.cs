using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

/// <summary>
/// Every record of the three expected.jsonl files, through every way of loading its tokenizer: ids, token strings,
/// type ids, sequence ids and UTF-16 offsets must equal Hugging Face's exactly.
/// </summary>
public sealed class TokenizerParityTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var variant in TokenizerFixtures.Variants)
        {
            foreach (var record in TokenizerFixtures.Records(TokenizerFixtures.FolderOf(variant))) data.Add(variant, record.Id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_MatchesHuggingFaceRecord(string variant, string caseId)
    {
        var record = TokenizerFixtures.Record(TokenizerFixtures.FolderOf(variant), caseId);
        var encoding = TokenizerFixtures.Get(variant).Encode(record.Text, record.TextPair);

        Assert.Equal(record.Tokens, encoding.Tokens);
        Assert.Equal(record.Ids, encoding.Ids);
        Assert.Equal(record.TypeIds, encoding.TypeIds);
        Assert.Equal(record.SequenceIds, encoding.SequenceIds);
        Assert.Equal(record.OffsetsUtf16, encoding.Offsets);
    }

    [Theory]
    [InlineData("uncased/tokenizer.json")]
    [InlineData("cased/vocab.txt")]
    [InlineData("roberta/vocab.json+merges.txt")]
    public void Encode_WithoutPair_MatchesTransformersCallForEmptyPair(string variant)
    {
        // transformers' __call__ treats text_pair="" as no pair; Encode(text, null) is that call.
        var record = TokenizerFixtures.Record(TokenizerFixtures.FolderOf(variant), "pair_empty_second");
        Assert.Equal("", record.TextPair);
        Assert.NotNull(record.TransformersCallIds);
        Assert.Equal(record.TransformersCallIds, TokenizerFixtures.Get(variant).Encode(record.Text).Ids);
    }

    [Theory]
    [InlineData("uncased/tokenizer.json", 3748)]
    [InlineData("cased/vocab.txt", 4029)]
    [InlineData("roberta/vocab.json+merges.txt", 3645)]
    public void Encode_Paragraph2000Words_GivesTheDocumentedTokenCount(string variant, int tokens)
    {
        // The fixture README's counts include the two special tokens; with no maxLength nothing is truncated.
        var record = TokenizerFixtures.Record(TokenizerFixtures.FolderOf(variant), "paragraph_2000_words");
        var tokenizer = TokenizerFixtures.Get(variant);
        Assert.Equal(tokens, tokenizer.Encode(record.Text).Ids.Length);
        Assert.Equal(tokens - 2, tokenizer.Tokenize(record.Text).Count);
    }

    [Fact]
    public void Decode_Roberta_RestoresEveryFixtureTextWithoutSpecials()
    {
        // Byte-level BPE is lossless: decoding the ids of any text without special-token strings gives it back.
        var tokenizer = TokenizerFixtures.Get("roberta/vocab.json+merges.txt");
        var specials = new[] { "<s>", "</s>", "<pad>", "<unk>", "<mask>" };
        var records = TokenizerFixtures.Records(TokenizerFixtures.Roberta)
            .Where(r => r.TextPair is null && !specials.Any(s => r.Text.Contains(s, StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(79, records.Count);
        Assert.All(records, r => Assert.Equal(r.Text, tokenizer.Decode(r.Ids)));
    }

    [Fact]
    public void Decode_Bert_JoinsWordPiecesLikeTransformers()
    {
        var tokenizer = TokenizerFixtures.Get("uncased/tokenizer.json");
        // tokenizers' WordPiece decoder cleans each token on its own, so " ' " (three tokens) stays spaced; [UNK] is special.
        Assert.Equal("hello, y ' all! how are you?", tokenizer.Decode(TokenizerFixtures.Record(TokenizerFixtures.BertUncased, "emoji_llama").Ids));
        Assert.Equal("unaffable", tokenizer.Decode(tokenizer.Encode("unaffable").Ids));
    }

    [Fact]
    public void Encode_ConcurrentCalls_MatchSequentialResults()
    {
        // The BPE cache is shared; a fresh tokenizer makes all threads race on cache misses.
        var folder = TokenizerFixtures.Folder(TokenizerFixtures.Roberta);
        var tokenizer = TokenizerLoader.Load(folder);
        var records = TokenizerFixtures.Records(TokenizerFixtures.Roberta);
        var results = new Encoding[records.Count];
        Parallel.For(0, records.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var r = records[i % records.Count];
            results[i % records.Count] = tokenizer.Encode(r.Text, r.TextPair);
        });
        for (var i = 0; i < records.Count; i++) Assert.Equal(records[i].Ids, results[i].Ids);
    }
}
