using System.Text;

namespace CogLtx.Cli.Tests;

/// <summary>Text on stdin that is not UTF-8 is rejected with the byte offset of the first bad byte, never replaced by U+FFFD.</summary>
[Collection(CliCollection.Name)]
public sealed class InputEncodingTests(CliFixture fixture)
{
    // "Hello " then 0xE9 (Latin-1 é) on line 2: byte offset 14, line 2, column 7.
    private static readonly byte[] Latin1 = [.. Encoding.ASCII.GetBytes("A line.\nHello "), 0xE9, .. Encoding.ASCII.GetBytes("t\u00e9 world.\n")];

    private static readonly string Tokenizer = Cli.Fixture("tokenizers", "bert-base-uncased");

    [Fact]
    public void Split_RejectsInvalidUtf8_NamingTheByteOffset() =>
        Cli.Fails(Cli.RunBytes(Latin1, "split", "--tokenizer", Tokenizer), "stdin: invalid UTF-8 byte 0xE9 at byte offset 14 (line 2, column 7)");

    [Fact]
    public void Tokenize_RejectsInvalidUtf8_NamingTheByteOffset()
    {
        byte[] input = [.. Encoding.ASCII.GetBytes("{\"text\": \"caf"), 0xE9, .. Encoding.ASCII.GetBytes("\"}\n")];
        Cli.Fails(Cli.RunBytes(input, "tokenize", "--tokenizer", Tokenizer), "stdin: invalid UTF-8 byte 0xE9 at byte offset 13 (line 1, column 14)");
    }

    [Fact]
    public void Predict_RejectsInvalidUtf8_NamingTheByteOffset()
    {
        byte[] input = [.. Encoding.ASCII.GetBytes("{\"question\": \"Who?\", \"text\": \"caf"), 0xE9, .. Encoding.ASCII.GetBytes("\"}\n")];
        Cli.Fails(Cli.RunBytes(input, "predict", "--model", fixture.QaModel), "stdin: invalid UTF-8 byte 0xE9 at byte offset 33");
    }

    [Fact]
    public void Recall_RejectsInvalidUtf8_NamingTheByteOffset() =>
        Cli.Fails(Cli.RunBytes(Latin1, "recall", "--model", fixture.QaModel, "--query", "Who?"), "byte offset 14");

    [Fact]
    public void Split_ValidUtf8WithByteOrderMark_IsRead()
    {
        byte[] input = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Caf\u00e9 au lait. Encore.")];
        var run = Cli.Ok(Cli.RunBytes(input, "split", "--tokenizer", Tokenizer, "--mode", "sentence"));
        Assert.Contains("\"start\": 0", run.Stdout);
    }
}
