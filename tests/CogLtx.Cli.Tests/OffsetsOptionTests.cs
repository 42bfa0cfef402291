using System.Text.Json;

namespace CogLtx.Cli.Tests;

/// <summary>
/// <c>--offsets code-points</c> of tokenize, split and predict: the offsets a Python user indexes a <c>str</c> with.
/// The tokenizer fixtures hold Hugging Face's own offsets in both units (<c>offsets</c>: code points, as
/// <c>offset_mapping</c>; <c>offsets_utf16</c>), with five strings outside the BMP (emoji, math bold, CJK extension B).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OffsetsOptionTests(CliFixture fixture)
{
    private const string Emoji = "🤗 🍕 𝐀𝐁𝐂 ";

    [Theory]
    [InlineData("bert-base-uncased")]
    [InlineData("bert-base-cased")]
    [InlineData("roberta-base")]
    public void Tokenize_CodePoints_EqualsHuggingFacesOffsetMapping_OnEveryFixtureString(string name)
    {
        var lines = File.ReadAllLines(Cli.Fixture("tokenizers", name, "expected.jsonl"));
        var input = string.Join('\n', lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var r = doc.RootElement;
            return JsonSerializer.Serialize(new { text = r.GetProperty("text").GetString(), text_pair = r.GetProperty("text_pair").GetString() });
        })) + "\n";
        var points = Cli.Ok(Cli.Run(input, "tokenize", "--tokenizer", Cli.Fixture("tokenizers", name), "--offsets", "code-points")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var units = Cli.Ok(Cli.Run(input, "tokenize", "--tokenizer", Cli.Fixture("tokenizers", name))).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, points.Length);
        var differing = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            using var expected = JsonDocument.Parse(lines[i]);
            using var ours = JsonDocument.Parse(points[i]);
            using var utf16 = JsonDocument.Parse(units[i]);
            var id = expected.RootElement.GetProperty("id").GetString();
            Assert.True(Offsets(expected, "offsets").SequenceEqual(Offsets(ours, "offsets")), $"{name} {id}: code-point offsets differ");
            Assert.True(Offsets(expected, "offsets_utf16").SequenceEqual(Offsets(utf16, "offsets")), $"{name} {id}: UTF-16 offsets differ");
            differing += Offsets(expected, "offsets").SequenceEqual(Offsets(expected, "offsets_utf16")) ? 0 : 1;
        }
        Assert.True(differing >= 3, $"only {differing} fixture strings tell the two units apart");
    }

    [Fact]
    public void Split_CodePoints_ShiftsEverySpanAfterAnEmoji_AndTheLastEndsAtThePythonLength()
    {
        var text = Emoji + string.Concat(Enumerable.Repeat("A sentence about nothing in particular. ", 20));
        var tokenizer = Cli.Fixture("tokenizers", "bert-base-uncased");
        var utf16 = Spans(Cli.Ok(Cli.Run(text, "split", "--tokenizer", tokenizer, "--block-size", "12")).Stdout, "blocks");
        var points = Spans(Cli.Ok(Cli.Run(text, "split", "--tokenizer", tokenizer, "--block-size", "12", "--offsets", "code-points")).Stdout, "blocks");
        Assert.True(utf16.Count > 3);
        Assert.Equal(utf16.Select(s => (CodePoints(text, s.Start), CodePoints(text, s.End))), points);
        Assert.Equal(text.TrimEnd().EnumerateRunes().Count(), points[^1].End);   // the last block ends at the last token
        Cli.Fails(Cli.Run(text, "split", "--tokenizer", tokenizer, "--offsets", "bytes"), "utf16 or code-points", "bytes");
    }

    [Fact]
    public void Predict_CodePoints_ConvertsAnswerSpanKeyBlocksAndTrace()
    {
        var line = JsonSerializer.Serialize(new { id = "e", question = "🤗 " + fixture.Question, text = Emoji + fixture.Document });
        using var utf16 = JsonDocument.Parse(Cli.Ok(Cli.Run(line, "predict", "--model", fixture.QaModel, "--trace")).Stdout);
        using var points = JsonDocument.Parse(Cli.Ok(Cli.Run(line, "predict", "--model", fixture.QaModel, "--trace", "--offsets", "code-points")).Stdout);
        var text = Emoji + fixture.Document;
        var blocks16 = Spans(utf16.RootElement.GetRawText(), "key_blocks");
        Assert.NotEmpty(blocks16);
        Assert.Equal(blocks16.Select(s => (CodePoints(text, s.Start), CodePoints(text, s.End))), Spans(points.RootElement.GetRawText(), "key_blocks"));
        if (utf16.RootElement.GetProperty("answer_span") is { ValueKind: JsonValueKind.Array } span)
            Assert.Equal(CodePoints(text, span[0].GetInt32()), points.RootElement.GetProperty("answer_span")[0].GetInt32());
        var question = "🤗 " + fixture.Question;
        var steps16 = utf16.RootElement.GetProperty("trace").EnumerateArray().ToList();
        var steps = points.RootElement.GetProperty("trace").EnumerateArray().ToList();
        Assert.Equal(steps16.Count, steps.Count);
        var queries = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var fine16 = steps16[i].GetProperty("fine_scores").EnumerateArray().ToList();
            var fine = steps[i].GetProperty("fine_scores").EnumerateArray().ToList();
            for (var k = 0; k < fine.Count; k++)
            {
                var isQuery = fine16[k].GetProperty("query").GetBoolean();
                queries += isQuery ? 1 : 0;
                var source = isQuery ? question : text;
                Assert.Equal(CodePoints(source, fine16[k].GetProperty("start").GetInt32()), fine[k].GetProperty("start").GetInt32());
                Assert.Equal(CodePoints(source, fine16[k].GetProperty("end").GetInt32()), fine[k].GetProperty("end").GetInt32());
            }
        }
        Assert.True(queries > 0, "no query block in the trace: the question's own offsets were not exercised");
    }

    private static int CodePoints(string text, int utf16) => text[..utf16].EnumerateRunes().Count();

    private static List<(int Start, int End)> Offsets(JsonDocument doc, string property) =>
        [.. doc.RootElement.GetProperty(property).EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32()))];

    private static List<(int Start, int End)> Spans(string json, string property)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty(property).EnumerateArray().Select(b => (b.GetProperty("start").GetInt32(), b.GetProperty("end").GetInt32()))];
    }
}
