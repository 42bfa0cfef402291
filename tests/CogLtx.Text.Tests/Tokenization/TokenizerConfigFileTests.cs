using System.Text.Json;
using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

/// <summary>
/// The tokenizer_config.json built for every vocabulary, so AutoTokenizer loads the folder and truncates. The tests
/// write the content themselves; the atomic write is CogLtx.Models.TokenizerConfigWriter's.
/// </summary>
public sealed class TokenizerConfigFileTests : IDisposable
{
    private const string TinyVocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nh\n##ello\n";

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("cogltx-tokenizer-config-");

    public void Dispose() => temp.Delete(recursive: true);

    private string Folder(string name, params (string File, string Content)[] files)
    {
        var path = Path.Combine(temp.FullName, name);
        Directory.CreateDirectory(path);
        foreach (var (file, content) in files) File.WriteAllText(Path.Combine(path, file), content);
        return path;
    }

    private static void Write(string folder, int modelMaxLength, bool overrideMaxLength = false, string? lowercaseSource = null) =>
        File.WriteAllText(Path.Combine(folder, TokenizerConfigFile.FileName),
            TokenizerConfigFile.Content(folder, modelMaxLength, overrideMaxLength: overrideMaxLength, lowercaseSource: lowercaseSource));

    private static JsonElement Config(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TokenizerConfigFile.FileName))).RootElement.Clone();

    [Fact]
    public void Content_BareVocabTxt_WritesBertClassLowerCaseAndMaxLength()
    {
        var folder = Folder("vocab", ("vocab.txt", TinyVocab));
        var before = TokenizerLoader.Load(folder).Encode("HELLO").Ids;
        Write(folder, 512);
        var config = Config(folder);
        Assert.Equal("BertTokenizer", config.GetProperty("tokenizer_class").GetString());
        Assert.True(config.GetProperty("do_lower_case").GetBoolean());
        Assert.Equal(512, config.GetProperty("model_max_length").GetInt32());
        Assert.Equal(before, TokenizerLoader.Load(folder).Encode("HELLO").Ids);
    }

    [Fact]
    public void Content_CasedFolderName_WritesTheCaseTheLoaderUsed()
    {
        var source = Folder("my-cased-vocab", ("vocab.txt", TinyVocab));
        var copy = Folder("tokenizer", ("vocab.txt", TinyVocab));
        Write(copy, 128, lowercaseSource: source);
        Assert.False(Config(copy).GetProperty("do_lower_case").GetBoolean());
        // "HELLO" is unknown to a cased tokenizer, "hello" after lower-casing: the copy must tokenize as the source did.
        Assert.Equal(TokenizerLoader.Load(source).Encode("HELLO").Ids, TokenizerLoader.Load(copy).Encode("HELLO").Ids);
    }

    [Fact]
    public void Content_ExistingConfig_KeepsItsKeysUnlessTheMaxLengthIsOverridden()
    {
        var folder = Folder("vocab", ("vocab.txt", TinyVocab), (TokenizerConfigFile.FileName, """{"do_lower_case": false, "model_max_length": 128, "extra": [1]}"""));
        Write(folder, 512);
        var kept = Config(folder);
        Assert.Equal((false, 128, "BertTokenizer"), (kept.GetProperty("do_lower_case").GetBoolean(), kept.GetProperty("model_max_length").GetInt32(), kept.GetProperty("tokenizer_class").GetString()));
        Assert.Equal(1, kept.GetProperty("extra")[0].GetInt32());
        Write(folder, 4096, overrideMaxLength: true);
        Assert.Equal(4096, Config(folder).GetProperty("model_max_length").GetInt32());
    }

    [Fact]
    public void Content_VocabJsonAndMerges_WritesRobertaClassWithoutLowerCasing()
    {
        var folder = Folder("bpe", ("vocab.json", """{"a": 0}"""), ("merges.txt", "#version: 0.2\n"));
        Write(folder, 512);
        var config = Config(folder);
        Assert.Equal("RobertaTokenizer", config.GetProperty("tokenizer_class").GetString());
        Assert.False(config.TryGetProperty("do_lower_case", out _));
        Assert.Equal(512, config.GetProperty("model_max_length").GetInt32());
    }

    [Fact]
    public void Content_TokenizerJson_LeavesItsNormalizerInCharge()
    {
        var folder = Folder("fast", ("vocab.txt", TinyVocab), ("tokenizer.json", "{}"));
        Write(folder, 512);
        var config = Config(folder);
        Assert.False(config.TryGetProperty("do_lower_case", out _));
        Assert.False(config.TryGetProperty("tokenizer_class", out _));
        Assert.Equal(512, config.GetProperty("model_max_length").GetInt32());
    }

    [Fact]
    public void Content_NoVocabulary_IsAnError()
    {
        var folder = Folder("empty");
        Assert.Contains("no vocabulary", Assert.Throws<FileNotFoundException>(() => TokenizerConfigFile.Content(folder, 512)).Message);
    }
}
