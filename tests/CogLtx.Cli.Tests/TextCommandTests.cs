using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary><c>split</c>, <c>tokenize</c> and <c>encode</c> on the real tokenizer and tiny model fixtures.</summary>
[Collection(CliCollection.Name)]
public sealed class TextCommandTests
{
    private static readonly string Bert = Cli.Fixture("tokenizers", "bert-base-uncased");
    private static readonly string Roberta = Cli.Fixture("tokenizers", "roberta-base");

    private const string Text = "The first sentence is short. The second one, which has a comma, is a little longer!\n" +
                                "A new line starts here? Yes.";

    [Theory]
    [InlineData("dp")]
    [InlineData("sentence")]
    public void Split_PrintsBlocksAsJson_CoveringTheText(string mode)
    {
        var run = Cli.Ok(Cli.Run(Text, "split", "--tokenizer", Roberta, "--mode", mode, "--block-size", "12"));
        Assert.Equal("", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var blocks = json.RootElement.GetProperty("blocks").EnumerateArray()
            .Select(b => (Start: b.GetProperty("start").GetInt32(), End: b.GetProperty("end").GetInt32(), Tokens: b.GetProperty("tokens").GetInt32()))
            .ToList();
        Assert.True(blocks.Count >= 3, $"{blocks.Count} blocks\n{run}");
        Assert.All(blocks, b => Assert.InRange(b.Tokens, 1, 12));
        Assert.Equal(0, blocks[0].Start);
        Assert.Equal(Text.Length, blocks[^1].End);
        Assert.All(blocks.Zip(blocks.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start, $"blocks {p.First} and {p.Second} overlap"));
    }

    [Fact]
    public void Split_BadMode_SaysWhichModesExist()
    {
        Cli.Fails(Cli.Run(Text, "split", "--tokenizer", Bert, "--mode", "paragraph"), "dp or sentence", "paragraph");
    }

    [Fact]
    public void Split_MissingTokenizer_NamesTheFolder()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(Text, "split", "--tokenizer", dir.File("no-tokenizer")), "no-tokenizer");
    }

    [Fact]
    public void Tokenize_OneJsonLinePerInput_WithSpecialTokensAndOffsets()
    {
        var input = "{\"text\": \"Hello world\"}\n{\"text\": \"A question?\", \"text_pair\": \"An answer.\"}\n";
        var run = Cli.Ok(Cli.Run(input, "tokenize", "--tokenizer", Bert));
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        // [CLS] hello world [SEP] in bert-base-uncased
        Assert.Equal([101, 7592, 2088, 102], first.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 0, 0, 0], first.RootElement.GetProperty("type_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 5], first.RootElement.GetProperty("offsets")[1].EnumerateArray().Select(e => e.GetInt32()));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Contains(1, second.RootElement.GetProperty("type_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Tokenize_MalformedLine_NamesTheLine()
    {
        var run = Cli.Run("{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n", "tokenize", "--tokenizer", Bert);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("line 2", run.Stderr);
    }

    [Fact]
    public void Encode_WritesTheOutputsAndListsTheirShapes()
    {
        using var dir = new TempDir();
        var output = dir.File("out.safetensors");
        var model = Cli.Fixture("models", "bert-tiny");
        var run = Cli.Ok(Cli.Run(null, "encode", "--model", model, "--input", Path.Combine(model, "expected.safetensors"), "--output", output));
        Assert.Matches(@"(?m)^last_hidden_state \[2, 12, 32\]$", run.Stdout);
        Assert.True(File.Exists(output), $"no {output}\n{run}");
    }

    [Fact]
    public void Encode_MissingInput_NamesTheFile()
    {
        using var dir = new TempDir();
        Cli.Fails(Cli.Run(null, "encode", "--model", Cli.Fixture("models", "bert-tiny"), "--input", dir.File("missing.safetensors"), "--output", dir.File("o.safetensors")),
            "missing.safetensors");
    }

    [Fact]
    public void Encode_MalformedInput_NamesTheFile()
    {
        using var dir = new TempDir();
        var bad = dir.File("bad.safetensors");
        File.WriteAllText(bad, "this is not a safetensors file");
        Cli.Fails(Cli.Run(null, "encode", "--model", Cli.Fixture("models", "bert-tiny"), "--input", bad, "--output", dir.File("o.safetensors")), "bad.safetensors");
    }
}
