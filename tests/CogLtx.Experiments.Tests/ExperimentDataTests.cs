using CogLtx.Baselines;
using CogLtx.Data;
using CogLtx.Experiments.Runner;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training;

namespace CogLtx.Experiments.Tests;

public sealed class ExperimentDataTests
{
    // ids: 0–4 specials, then words.
    private static readonly WordPieceTokenizer Tokenizer = WordPieceTokenizer.FromVocab(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "yes", "no", "who", "lives", "in", "tarvos", "mira", ".", "quell", "ok"], lowercase: true);

    private static readonly TaskSetup Qa = new() { Task = ReasonerTask.SpanQa, QuerySlots = [TaskSetup.YesSlot, TaskSetup.NoSlot] };

    private static readonly Dataset Empty = new("d", ReasonerTask.SpanQa, [], [], []);

    [Fact]
    public void Convert_SpanAnswer_TargetsItsTokens_AndTheQueryCarriesTheSlots()
    {
        // "Mira lives in Tarvos. Mira Quell lives in Tarvos." — the answer "Tarvos" occurs twice; the second occurrence
        // lies in the relevant span, so it is the target (tokens: mira lives in tarvos . mira quell lives in tarvos .).
        const string text = "Mira lives in Tarvos. Mira Quell lives in Tarvos.";
        var second = text.LastIndexOf("Tarvos", StringComparison.Ordinal);
        var example = new LongDocExample
        {
            Id = "q",
            Text = text,
            Question = "Who lives in Tarvos",
            Answer = Answer.Span("Tarvos", new CharSpan(text.IndexOf("Tarvos", StringComparison.Ordinal), text.IndexOf("Tarvos", StringComparison.Ordinal) + 6),
                new CharSpan(second, second + 6)),
            RelevantSpans = [new CharSpan(22, text.Length)],
        };
        var prepared = ExperimentData.Convert(example, Tokenizer, Empty, Qa);
        Assert.Equal([11, 8, 9, 10, 12, 11, 13, 8, 9, 10, 12], prepared.Input.DocumentIds);
        Assert.Equal([5, 6, 7, 8, 9, 10], prepared.Input.QueryIds);
        Assert.Equal(new AnswerTarget(9, 9), prepared.Input.Answer);
        Assert.Equal(AnswerKind.Yes, prepared.Input.QuerySlots[0]);
        Assert.Equal(AnswerKind.No, prepared.Input.QuerySlots[1]);
        Assert.Equal(11, prepared.DocumentTokens);
    }

    [Fact]
    public void Convert_YesAnswer_TargetsTheYesSlot()
    {
        var example = new LongDocExample { Id = "y", Text = "ok .", Question = "ok", Answer = Answer.Yes };
        Assert.Equal(AnswerTarget.Slot(0), ExperimentData.Convert(example, Tokenizer, Empty, Qa).Input.Answer);
    }

    [Fact]
    public void Convert_Classification_CarriesTheLabelIdAndNoQuery()
    {
        var dataset = new Dataset("c", ReasonerTask.Classification, ["no", "yes"], [], []);
        var setup = new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["no", "yes"] };
        var prepared = ExperimentData.Convert(new LongDocExample { Id = "c", Text = "ok ok", Labels = ["yes"] }, Tokenizer, dataset, setup);
        Assert.Equal(1, prepared.Input.Label);
        Assert.Empty(prepared.Input.QueryIds);
        Assert.Equal([14, 14], prepared.Input.DocumentIds);
    }
}
