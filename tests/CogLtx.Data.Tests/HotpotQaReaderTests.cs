using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class HotpotQaReaderTests
{
    [Fact]
    public void Read_JsonlSample_BuildsTitledParagraphsSentencesAndSupportingSpans()
    {
        var result = HotpotQaReader.Read(TestPaths.Sample("hotpot-sample.jsonl"));
        Assert.Equal(0, result.SkippedCount);
        var bridge = result.Items[0];
        Assert.Equal("q-bridge", bridge.Id);
        Assert.Equal("What city was the founder of Zorblax born in?", bridge.Question);
        Assert.Equal(
            "Zorblax\nZorblax was founded by Mira Quell. It sells lamps.\n\nQuenta\nQuenta is a firm in Belmora.\n\n" +
            "Mira Quell\nMira Quell is an engineer. She was born in Tarvos. She visited Tarvos again in 1999.",
            bridge.Text);
        // The empty sentence of "Quenta" is left out; indices stay those of the file.
        var sentences = bridge.Sentences!;
        Assert.Equal([("Zorblax", 0), ("Zorblax", 1), ("Quenta", 0), ("Mira Quell", 0), ("Mira Quell", 1), ("Mira Quell", 2)],
            sentences.Select(s => (s.Title!, s.Index)));
        Assert.Equal("It sells lamps.", bridge.Slice(sentences[1].Span));
        Assert.Equal(["Zorblax was founded by Mira Quell.", "She was born in Tarvos."], bridge.RelevantSpans.Select(bridge.Slice));
        // ("Mira Quell", 7) does not exist: kept as a gold fact, flags nothing.
        Assert.Equal(3, bridge.SupportingFacts!.Count);
        Assert.Equal(2, sentences.Count(s => s.IsSupporting));
        // The answer is searched in supporting sentences first: the occurrence in sentence 2 is not taken.
        Assert.Equal(AnswerKind.Span, bridge.Answer!.Kind);
        var span = Assert.Single(bridge.Answer.Spans);
        Assert.Equal("Tarvos", bridge.Slice(span));
        Assert.True(sentences[4].Span.Contains(span));
        Assert.Equal("bridge", bridge.Metadata["type"]);
        Assert.Equal("hard", bridge.Metadata["level"]);

        Assert.Same(Answer.Yes, result.Items[1].Answer);
    }

    [Fact]
    public void Read_JsonListSample_FallsBackToCaseInsensitiveInsideSupportingSentences()
    {
        var result = HotpotQaReader.Read(TestPaths.Sample("hotpot-sample.json"));
        Assert.Equal(["q-list-1", "q-list-2"], result.Items.Select(e => e.Id));
        var first = result.Items[0];
        // "ost" occurs ordinally only in a non-supporting sentence ("The ost valley"); the supporting "Ost" wins.
        Assert.Equal("Ost", first.Slice(Assert.Single(first.Answer!.Spans)));
        Assert.Same(Answer.No, result.Items[1].Answer);
        Assert.Empty(result.Items[1].RelevantSpans);
    }

    [Fact]
    public void Read_MissingField_FailsNamingFileLineAndField()
    {
        using var temp = new TempDir();
        var path = temp.File("hotpot-bad.jsonl");
        var lines = File.ReadAllLines(TestPaths.Sample("hotpot-sample.jsonl")).Where(l => l.Length > 0).ToList();
        File.WriteAllLines(path, [lines[0], lines[1], lines[1].Replace("\"question\"", "\"query\"").Replace("q-compare", "q-3")]);
        var error = Assert.Throws<DataFormatException>(() => HotpotQaReader.Read(path));
        Assert.Equal("hotpot-bad.jsonl:3: HotpotQA element #2 (_id q-3): missing field 'question'", error.Message);
        Assert.Equal(3, error.Issue.Line);
    }

    [Fact]
    public void Read_WrongFieldType_SaysExpectedAndFound()
    {
        using var temp = new TempDir();
        var path = temp.File("hotpot-type.jsonl");
        File.WriteAllText(path, """{"_id": "x", "question": "q", "answer": "a", "supporting_facts": [["T", "zero"]], "context": []}""" + "\n");
        var error = Assert.Throws<DataFormatException>(() => HotpotQaReader.Read(path));
        Assert.Equal("hotpot-type.jsonl:1: HotpotQA element #0 (_id x): supporting fact sentence index must be an integer, found String \"zero\"", error.Message);
    }

    [Fact]
    public void Read_TruncatedJsonList_FailsWithLine_OrKeepsTheCompleteElementsInSkipMode()
    {
        using var temp = new TempDir();
        var path = temp.File("hotpot-cut.json");
        var text = File.ReadAllText(TestPaths.Sample("hotpot-sample.json"));
        File.WriteAllText(path, text[..text.IndexOf("\"Is Tarvos a port?\"", StringComparison.Ordinal)]);

        var error = Assert.Throws<DataFormatException>(() => HotpotQaReader.Read(path));
        Assert.Equal("hotpot-cut.json:17: file ends inside element #1 that starts at line 14 (truncated JSON?)", error.Message);

        var skipped = HotpotQaReader.Read(path, OnError.Skip);
        Assert.Equal("q-list-1", Assert.Single(skipped.Items).Id);
        Assert.Equal(1, skipped.SkippedCount);
    }
}
