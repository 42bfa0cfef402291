using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("cogltx-tokenizer-loader-");

    public void Dispose() => temp.Delete(recursive: true);

    private string Folder(string name)
    {
        var path = Path.Combine(temp.FullName, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Write(string folder, string file, string content)
    {
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, content);
        return path;
    }

    private const string TinyVocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nh\n##ello\n";

    [Fact]
    public void Load_Fixtures_ResolveSpecialTokensAndVocabularySize()
    {
        var bert = TokenizerLoader.Load(TokenizerFixtures.Folder(TokenizerFixtures.BertUncased));
        Assert.Equal(new SpecialTokens(Cls: 101, Sep: 102, Pad: 0, Unk: 100, Mask: 103), bert.Specials);
        Assert.Equal(30522, bert.VocabSize);
        Assert.IsType<WordPieceTokenizer>(bert);
        var roberta = TokenizerLoader.Load(TokenizerFixtures.Folder(TokenizerFixtures.Roberta));
        Assert.Equal(new SpecialTokens(Cls: 0, Sep: 2, Pad: 1, Unk: 3, Mask: 50264), roberta.Specials);
        Assert.Equal(50265, roberta.VocabSize);
        Assert.Equal(50000, Assert.IsType<ByteLevelBpeTokenizer>(roberta).MergeCount);
    }

    [Theory]
    [InlineData("bert-base-uncased", true)]
    [InlineData("bert-base-cased", false)]
    [InlineData("BERT-Large-Cased-WWM", false)]
    [InlineData("my-model", true)]
    public void DefaultLowercase_FollowsTheFolderName(string name, bool lowercase)
    {
        Assert.Equal(lowercase, TokenizerLoader.DefaultLowercase(name));
    }

    [Fact]
    public void Load_VocabTxtWithoutConfig_TakesCasingFromTheFolderName()
    {
        var cased = Folder("tiny-cased");
        var uncased = Folder("tiny-uncased");
        Write(cased, "vocab.txt", TinyVocab);
        Write(uncased, "vocab.txt", TinyVocab);
        Assert.Equal(["[UNK]"], TokenizerLoader.Load(cased).Tokenize("Hello").Select(t => t.Text));
        Assert.Equal(["hello"], TokenizerLoader.Load(uncased).Tokenize("Hello").Select(t => t.Text));
    }

    [Fact]
    public void Load_ConfigDoLowerCase_OverridesTheTokenizerJsonNormalizer()
    {
        // As transformers 5 does: do_lower_case false in tokenizer_config.json wins over lowercase=true in tokenizer.json.
        var folder = Folder("uncased-json-kept-case");
        File.Copy(Path.Combine(TokenizerFixtures.Folder(TokenizerFixtures.BertUncased), "tokenizer.json"), Path.Combine(folder, "tokenizer.json"));
        Assert.Equal(["hello"], TokenizerLoader.Load(folder).Tokenize("Hello").Select(t => t.Text));
        Write(folder, "tokenizer_config.json", """{"do_lower_case": false}""");
        Assert.Equal(["[UNK]"], TokenizerLoader.Load(folder).Tokenize("Hello").Select(t => t.Text));
    }

    [Fact]
    public void Load_ConfigSpecialTokenNames_AreUsed()
    {
        var folder = Folder("renamed-specials");
        Write(folder, "vocab.txt", TinyVocab + "<cls>\n");
        Write(folder, "tokenizer_config.json", """{"cls_token": {"content": "<cls>", "lstrip": false}, "do_lower_case": true}""");
        var tokenizer = TokenizerLoader.Load(folder);
        Assert.Equal(8, tokenizer.Specials.Cls);
        Assert.Equal(["<cls>", "hello", "[SEP]"], tokenizer.Encode("hello").Tokens);
    }

    [Fact]
    public void Load_MissingFolderOrFiles_ThrowsNamingThem()
    {
        var missing = Path.Combine(temp.FullName, "nope");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => TokenizerLoader.Load(missing)).Message);
        var empty = Folder("empty");
        var e = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(empty));
        Assert.Contains("tokenizer.json, vocab.txt", e.Message);
    }

    [Fact]
    public void Load_VocabTxtWithDuplicateOrMissingSpecial_ThrowsNamingFileAndLine()
    {
        var duplicate = Folder("dup-uncased");
        var path = Write(duplicate, "vocab.txt", "[PAD]\n[UNK]\n[PAD]\n");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(duplicate));
        Assert.Contains($"{path} line 3: duplicate token '[PAD]' (first on line 1)", e.Message);

        var noMask = Folder("nomask-uncased");
        Write(noMask, "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n");
        Assert.Contains("mask token '[MASK]' is not in the vocabulary",
            Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(noMask)).Message);
    }

    [Fact]
    public void Load_VocabTxtWithInvalidUtf8_ThrowsNamingTheByteOffsetAndLine()
    {
        var folder = Folder("bad-utf8-uncased");
        var path = Path.Combine(folder, "vocab.txt");
        File.WriteAllBytes(path, [.. "[PAD]\n[UNK]\n"u8, 0xC3, 0x28, (byte)'\n']);
        Assert.Equal($"{path}: invalid UTF-8 byte 0xC3 at byte offset 12 (line 3, column 1); the input must be UTF-8 text", Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(folder)).Message);
    }

    [Fact]
    public void Load_MalformedMergesOrVocabJson_ThrowsNamingFileAndLine()
    {
        var folder = Folder("bad-bpe");
        var roberta = TokenizerFixtures.Folder(TokenizerFixtures.Roberta);
        File.Copy(Path.Combine(roberta, "vocab.json"), Path.Combine(folder, "vocab.json"));
        var merges = Write(folder, "merges.txt", "#version: 0.2\nĠ t\nĠa b c\n");
        Assert.Contains($"{merges} line 3: expected two symbols separated by one space, found 'Ġa b c'",
            Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(folder)).Message);

        Write(folder, "merges.txt", "#version: 0.2\nĠ t\nq@ z\n");
        Assert.Contains($"{merges} line 3: merge 'q@ z' needs 'q@'",
            Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(folder)).Message);

        var vocab = Write(folder, "vocab.json", "{\"a\": 0,\n \"b\": }");
        Assert.Contains($"{vocab} line 2: malformed JSON", Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(folder)).Message);

        Write(folder, "vocab.json", "{\"a\": 0, \"b\": 0}");
        Assert.Contains("tokens 'a' and 'b' share id 0", Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(folder)).Message);
    }

    [Fact]
    public void LoadTokenizerJson_UnsupportedComponent_ThrowsNamingIt()
    {
        var folder = Folder("nfkc");
        var path = Write(folder, "tokenizer.json",
            """{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}""");
        var e = Assert.Throws<NotSupportedException>(() => TokenizerLoader.LoadTokenizerJson(path));
        Assert.Contains($"{path}: normalizer.type 'NFKC' is not supported", e.Message);

        Write(folder, "tokenizer.json", """{"model": {"type": "Unigram", "vocab": []}}""");
        Assert.Contains("model.type 'Unigram' is not supported", Assert.Throws<NotSupportedException>(() => TokenizerLoader.LoadTokenizerJson(path)).Message);

        Write(folder, "tokenizer.json", """{"model": {"type": "WordPiece", "vocab": {"[UNK]": "zero"}}}""");
        Assert.Contains("model.vocab: token '[UNK]' has id \"zero\"",
            Assert.Throws<InvalidDataException>(() => TokenizerLoader.LoadTokenizerJson(path)).Message);
    }

    [Fact]
    public void LoadTokenizerJson_TemplateWithMultiIdSpecialAndStringMerges_IsApplied()
    {
        // A BPE tokenizer.json in the older format: merges as "left right" strings, a TemplateProcessing post-processor.
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++) vocab[ByteLevel.ByteToChar[b].ToString()] = b;
        foreach (var token in new[] { "<s>", "</s>", "<pad>", "<unk>", "<mask>", "ab" }) vocab[token] = vocab.Count;
        var vocabJson = System.Text.Json.JsonSerializer.Serialize(vocab);
        var folder = Folder("template");
        var path = Write(folder, "tokenizer.json", """
            {"added_tokens": [{"id": 256, "content": "<s>", "special": true}, {"id": 257, "content": "</s>", "special": true}],
             "normalizer": null, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false},
             "post_processor": {"type": "TemplateProcessing",
               "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "END", "type_id": 0}}],
               "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
               "special_tokens": {"<s>": {"id": "<s>", "ids": [256], "tokens": ["<s>"]},
                                  "END": {"id": "END", "ids": [257, 257], "tokens": ["</s>", "</s>"]}}},
             "model": {"type": "BPE", "vocab": "VOCAB", "merges": ["a b"]}}
            """.Replace("\"VOCAB\"", vocabJson, StringComparison.Ordinal));
        var tokenizer = TokenizerLoader.LoadTokenizerJson(path);
        Assert.Equal(["<s>", "ab", "</s>", "</s>"], tokenizer.Encode("ab").Tokens);
        Assert.Equal([0, 1], tokenizer.Encode("ab", "c").TypeIds);
        Assert.Equal((0, 2), tokenizer.Encode("ab").Offsets[1]);
    }
}
