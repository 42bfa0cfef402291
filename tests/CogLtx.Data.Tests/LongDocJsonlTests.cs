using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class LongDocJsonlTests
{
    [Fact]
    public void Read_QaSample_ConvertsCodePointOffsetsToUtf16AndChecksAnswers()
    {
        var examples = LongDocJsonl.Read(TestPaths.Sample("user-qa.jsonl")).Items;
        var first = examples[0];
        // Python offsets 58 and 82; the second follows an astral emoji (two UTF-16 units), so it moves to 83.
        Assert.Equal([new CharSpan(58, 64), new CharSpan(83, 89)], first.Answer!.Spans);
        Assert.All(first.Answer.Spans, s => Assert.Equal("Tarvos", first.Slice(s)));
        Assert.Equal(["Zorblax was founded by Mira Quell.", "Mira Quell was born in Tarvos."], first.RelevantSpans.Select(first.Slice));
        Assert.Equal("hand-made", first.Metadata["source"]);
        Assert.Same(Answer.None, examples[1].Answer);
        Assert.Same(Answer.Yes, examples[2].Answer);
    }

    [Fact]
    public void ReadDataset_InfersTaskKindFromTheFields()
    {
        var qa = LongDocJsonl.ReadDataset("qa", TestPaths.Sample("user-qa.jsonl"));
        Assert.Equal(ReasonerTask.SpanQa, qa.Kind);

        var single = LongDocJsonl.ReadDataset("cls", TestPaths.Sample("user-classification.jsonl"), TestPaths.Sample("user-classification.jsonl"));
        Assert.Equal(ReasonerTask.Classification, single.Kind);
        Assert.Equal(["sports", "weather"], single.LabelNames);
        Assert.Equal("user-classification.jsonl:3", single.Train[2].Id);
        Assert.Equal([1], single.LabelIds(single.Train[0]));

        var multi = LongDocJsonl.ReadDataset("ml", TestPaths.Sample("user-multilabel.jsonl"));
        Assert.Equal(ReasonerTask.MultiLabel, multi.Kind);
        Assert.Equal([1, 0], multi.LabelIds(multi.Train[0]));
    }

    [Fact]
    public void ReadDataset_MixedQaAndClassification_FailsNamingTheOddExample()
    {
        using var temp = new TempDir();
        var path = temp.File("mixed.jsonl");
        File.WriteAllLines(path, [File.ReadAllLines(TestPaths.Sample("user-qa.jsonl"))[0], File.ReadAllLines(TestPaths.Sample("user-classification.jsonl"))[0]]);
        var error = Assert.Throws<DataFormatException>(() => LongDocJsonl.ReadDataset("mixed", path));
        Assert.Contains("example 'c-1' has none", error.Message);
    }

    [Theory]
    [InlineData("""{"id": "a", "text": "abc", "lable": "x"}""", "unknown field 'lable'")]
    [InlineData("""{"id": "a", "label": "x"}""", "missing field 'text'")]
    [InlineData("""{"id": "a", "text": "abc", "label": "x", "labels": ["x"]}""", "example a: give either 'label' or 'labels', not both")]
    [InlineData("""{"id": "a", "text": "abc"}""", "example a: expected 'label' or 'labels' (classification) or 'question' (QA), found none")]
    [InlineData("""{"id": "a", "text": "abc def", "question": "q", "answer": {"text": "def", "start": 1}}""", "example a: answer text 'def' not found at start 1; the text there is 'bc '")]
    [InlineData("""{"id": "a", "text": "abc", "question": "q", "answer": {"text": "abc", "start": 2}}""", "example a: answer span [2, 5) is outside the text of 3 code points")]
    [InlineData("""{"id": "a", "text": "abc", "question": "q", "answer": {"text": "b"}}""", "example a: answer 'b' needs a 'start' offset")]
    [InlineData("""{"id": "a", "text": "abc", "label": "x", "relevant": [[0]]}""", "example a: an item of 'relevant' must be [start, end], found [0]")]
    [InlineData("""{"id": "a", "text": 5, "label": "x"}""", "field 'text' must be a string, found Number 5")]
    public void Read_InvalidRecord_FailsNamingFileLineAndProblem(string line, string problem)
    {
        using var temp = new TempDir();
        var path = temp.File("mine.jsonl");
        File.WriteAllLines(path, ["""{"id": "ok", "text": "fine", "label": "x"}""", line]);
        var error = Assert.Throws<DataFormatException>(() => LongDocJsonl.Read(path));
        Assert.StartsWith($"mine.jsonl:2: {problem}", error.Message);
    }

    [Fact]
    public void WriteThenRead_RoundTripsEveryField()
    {
        using var temp = new TempDir();
        var original = LongDocJsonl.Read(TestPaths.Sample("user-qa.jsonl")).Items;
        var path = temp.File("copy.jsonl");
        LongDocJsonl.Write(original, path);
        var copy = LongDocJsonl.Read(path).Items;
        Assert.Equal(original.Count, copy.Count);
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Id, copy[i].Id);
            Assert.Equal(original[i].Text, copy[i].Text);
            Assert.Equal(original[i].Question, copy[i].Question);
            Assert.Equal(original[i].Answer!.Kind, copy[i].Answer!.Kind);
            Assert.Equal(original[i].Answer!.Spans, copy[i].Answer!.Spans);
            Assert.Equal(original[i].RelevantSpans, copy[i].RelevantSpans);
            Assert.Equal(original[i].Metadata, copy[i].Metadata);
        }
    }

    [Fact]
    public void Write_MultiLabel_KeepsOneLabelExamplesMultiLabel()
    {
        using var temp = new TempDir();
        var path = temp.File("ml.jsonl");
        LongDocJsonl.Write([new LongDocExample { Id = "x", Text = "t", Labels = ["a"] }], path, multiLabel: true);
        Assert.Equal("""{"id":"x","text":"t","labels":["a"]}""", File.ReadAllText(path).TrimEnd('\n'));
        Assert.Equal(ReasonerTask.MultiLabel, LongDocJsonl.ReadDataset("ml", path).Kind);
    }
}
