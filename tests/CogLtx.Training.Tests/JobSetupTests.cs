using CogLtx.Data;
using CogLtx.Reasoner.Decoding;
using CogLtx.Splitter;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;
using CogLtx.Training.Jobs;

namespace CogLtx.Training.Tests;

/// <summary>
/// The task a data set implies (<see cref="JobSetup.TaskFor"/>, spec §2, §6, §9.10), the one rule both commands use,
/// and that it travels with the model: a saved model directory decodes as its training data implied.
/// </summary>
public sealed class JobSetupTests
{
    private static LongDocExample Qa(string id, Answer answer, IReadOnlyList<Sentence>? sentences = null) =>
        new() { Id = id, Text = "Mira lives in Tarvos.", Question = "Where?", Answer = answer, Sentences = sentences };

    [Fact]
    public void NewsQaLikeData_GetsTheNoAnswerSlot_AndNewsQaPenalties()
    {
        var data = new Dataset("news", ReasonerTask.SpanQa, [], [Qa("a", Answer.Span("Tarvos", new CharSpan(14, 20))), Qa("b", Answer.None)], []);
        var setup = JobSetup.TaskFor(data, SplitMode.Sentence);
        Assert.Equal([TaskSetup.NoAnswerSlot], setup.QuerySlots);
        Assert.Same(SpanDecodingOptions.NewsQa, setup.Decoding);
    }

    [Fact]
    public void SentenceData_GetsHotpotQaPenalties_TheHeuristicOnlyWithParagraphTitles()
    {
        Sentence[] titled = [new("Mira", 0, new CharSpan(0, 21), IsSupporting: true)];
        Sentence[] untitled = [new(null, 0, new CharSpan(0, 21), IsSupporting: true)];
        var hotpot = JobSetup.TaskFor(new Dataset("h", ReasonerTask.SpanQa, [], [Qa("a", Answer.Yes, titled)], []), SplitMode.Sentence);
        var synthetic = JobSetup.TaskFor(new Dataset("s", ReasonerTask.SpanQa, [], [Qa("a", Answer.Span("Tarvos", new CharSpan(14, 20)), untitled)], []), SplitMode.Dp);

        Assert.Equal([TaskSetup.YesSlot, TaskSetup.NoSlot], hotpot.QuerySlots);
        Assert.Same(SpanDecodingOptions.HotpotQa, hotpot.Decoding);
        Assert.Equal(SupportingFactMode.Heuristic, hotpot.SupportingFacts);
        Assert.Empty(synthetic.QuerySlots);
        Assert.Same(SpanDecodingOptions.HotpotQa, synthetic.Decoding);
        Assert.Equal(SupportingFactMode.TopFine, synthetic.SupportingFacts);
        Assert.Equal(SplitMode.Dp, synthetic.SplitMode);
        Assert.Equal(SupportingFactMode.Heuristic, JobSetup.TaskFor(new Dataset("s", ReasonerTask.SpanQa, [], [Qa("a", Answer.Yes, untitled)], []),
            SplitMode.Sentence, SupportingFactMode.Heuristic).SupportingFacts);
    }

    [Fact]
    public void Classification_HasTheDataLabels_AndNoSlots()
    {
        var data = new Dataset("c", ReasonerTask.Classification, ["no", "yes"], [new LongDocExample { Id = "c", Text = "ok", Labels = ["yes"] }], []);
        var setup = JobSetup.TaskFor(data, SplitMode.Dp);
        Assert.Equal(["no", "yes"], setup.LabelNames);
        Assert.Empty(setup.QuerySlots);
    }

    [Fact]
    public void SavedModel_DecodesAsItsSetupSays()
    {
        using var task = new TinyTask(train: 1, test: 1);
        var models = CogLtxModels.CreateFresh(
            Models.BertConfig.Scratch(Text.Tokenization.TokenizerLoader.Load(task.TokenizerDir).VocabSize, 1, 16, 2, 32, maxLength: 128),
            task.TokenizerDir, task.Setup with { Decoding = SpanDecodingOptions.HotpotQa, SupportingFacts = SupportingFactMode.TopFine }, TinyTask.Options, 1);
        var dir = task.NewFolder("model");
        models.Save(dir);

        var loaded = CogLtxModels.Load(dir);
        Assert.Equal(SpanDecodingOptions.HotpotQa.LengthPenalties, loaded.Setup.Decoding.LengthPenalties);
        Assert.Equal(SpanDecodingOptions.HotpotQa.TopK, loaded.Setup.Decoding.TopK);
        Assert.Equal(SupportingFactMode.TopFine, loaded.Setup.SupportingFacts);
        Assert.Equal(SpanDecodingOptions.HotpotQa.LengthPenalties, new CogLtxPredictor(loaded).Decoding.LengthPenalties);
    }
}
