using CogLtx.Text.Tokenization;

namespace CogLtx.Models.Tests;

/// <summary>The tokenizer_config.json goes to disk through the one atomic writer (Tensors.Io.AtomicFile).</summary>
public sealed class TokenizerConfigWriterTests
{
    [Fact]
    public void Ensure_WritesTheBuiltContent_AndLeavesNoTemporaryFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n");
        var expected = TokenizerConfigFile.Content(dir.Path, 512, doLowerCase: true);
        TokenizerConfigWriter.Ensure(dir.Path, 512, doLowerCase: true);
        Assert.Equal(expected, File.ReadAllText(dir.File(TokenizerConfigFile.FileName)));
        Assert.Equal(["tokenizer_config.json", "vocab.txt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ensure_NoVocabulary_ThrowsAndWritesNothing()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => TokenizerConfigWriter.Ensure(dir.Path, 512));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
