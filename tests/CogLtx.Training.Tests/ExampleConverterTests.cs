using CogLtx.Data;
using CogLtx.Reasoner;
using CogLtx.Splitter;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Training.Tests;

public sealed class ExampleConverterTests
{
    private static readonly ITokenizer Tokenizer = WordPieceTokenizer.FromVocab(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "yes", "no", "none", "who", "founded", "acme", "?", ".", "mira", "quell",
         "was", "born", "in", "tarvos", "the", "sky", "is", "blue", "sports", "weather", "storm"], lowercase: true);

    private static readonly CogLtxOptions Options = new() { Capacity = 64, BlockSize = 7 };

    // "Acme was founded by Mira Quell. The sky is blue. Mira Quell was born in Tarvos."
    private static LongDocExample QaExample(Answer answer)
    {
        const string text = "Acme was founded by Mira Quell. The sky is blue. Mira Quell was born in Tarvos.";
        return new LongDocExample
        {
            Id = "q1",
            Text = text,
            Question = "Who founded Acme?",
            Answer = answer,
            Sentences =
            [
                new Data.Sentence(null, 0, new CharSpan(0, 31), true),
                new Data.Sentence(null, 1, new CharSpan(32, 48), false),
                new Data.Sentence(null, 2, new CharSpan(49, 79), true),
            ],
            RelevantSpans = [new CharSpan(0, 31), new CharSpan(49, 79)],
        };
    }

    [Fact]
    public void SpanQa_SentenceBlocks_RelevanceAndAnswerCarriers()
    {
        // answer "Tarvos" at [72, 78)
        var example = QaExample(Answer.Span("Tarvos", new CharSpan(72, 78)));
        var converter = new ExampleConverter(Tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, Options);
        var converted = converter.Convert(example, new BlockIdCounter()).Single();
        Assert.True(converted.HasTarget);
        var query = converted.Blocks.QueryBlocks.Single();
        // [CLS] yes no who founded acme ? [SEP]
        Assert.Equal([2, 5, 6, 8, 9, 10, 11, 3], query.Ids.ToArray());
        Assert.Equal(BlockKind.Query, query.Kind);
        var doc = converted.Blocks.DocumentBlocks;
        // one block per sentence (7, 5 and 7 tokens, "by" unknown): supporting sentences relevant
        Assert.Equal([1, 0, 1], doc.Select(b => b.Relevance));
        Assert.Equal([new BlockOrigin("", 0), new BlockOrigin("", 1), new BlockOrigin("", 2)], doc.Select(b => b.Origin));
        Assert.Equal([8, 6, 8], doc.Select(b => b.Length));
        var carrier = doc.Single(b => b.AnswerStart is not null);
        Assert.Same(carrier, doc.Single(b => b.AnswerEnd is not null));
        Assert.Equal(new CharSpan(72, 78), carrier.TokenOffsets[carrier.AnswerStart!.Value]);
        Assert.Equal(converted.GoldRelevant, doc.Where(b => b.IsRelevant));
        // positions run query first, then the document, in reading order
        Assert.Equal(Enumerable.Range(1, 4).Select(i => (long)i), converted.Blocks.AllBlocks.Select(b => b.Position));
    }

    [Fact]
    public void SpanQa_DpMode_PacksSentencesIntoBlocks_EvenWhenSentencesAreGiven()
    {
        var example = QaExample(Answer.Span("Tarvos", new CharSpan(72, 78)));
        var converter = new ExampleConverter(Tokenizer, new TaskSetup { SplitMode = SplitMode.Dp }, Options with { BlockSize = 15 });
        var doc = converter.Convert(example, new BlockIdCounter()).Single().Blocks.DocumentBlocks;
        // 7 + 5 tokens end at a period within 15 → one block; the last sentence → a second block
        Assert.Equal([13, 8], doc.Select(b => b.Length));
        Assert.Equal([new CharSpan(0, 48), new CharSpan(49, 79)], doc.Select(b => b.Span));
        Assert.Equal([1, 1], doc.Select(b => b.Relevance));          // each overlaps a relevant span
        Assert.All(doc, b => Assert.Null(b.Origin));
        Assert.Equal(new CharSpan(72, 78), doc[1].TokenOffsets[doc[1].AnswerStart!.Value]);
    }

    [Theory]
    [InlineData(AnswerKind.Yes, 1)]
    [InlineData(AnswerKind.No, 2)]
    public void SpanQa_YesNo_PointAtTheQuerySlots(AnswerKind kind, int position)
    {
        var example = QaExample(kind == AnswerKind.Yes ? Answer.Yes : Answer.No);
        var converter = new ExampleConverter(Tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, Options);
        var converted = converter.Convert(example, new BlockIdCounter()).Single();
        var query = converted.Blocks.QueryBlocks.Single();
        Assert.Equal((position, position), (query.AnswerStart, query.AnswerEnd));
        Assert.Equal(new Dictionary<string, int> { ["yes"] = 1, ["no"] = 2 }, converter.SlotPositions);
        Assert.True(converted.HasTarget);
        Assert.DoesNotContain(converted.Blocks.DocumentBlocks, b => b.AnswerStart is not null);
    }

    [Fact]
    public void SpanQa_YesAnswerWithoutASlot_HasNoTarget()
    {
        var converted = new ExampleConverter(Tokenizer, new TaskSetup(), Options).Convert(QaExample(Answer.Yes), new BlockIdCounter()).Single();
        Assert.False(converted.HasTarget);
    }

    [Fact]
    public void SpanQa_NoAnswer_PointsAtTheNoneSlot()
    {
        var converter = new ExampleConverter(Tokenizer, new TaskSetup { QuerySlots = ["none"] }, Options);
        var converted = converter.Convert(QaExample(Answer.None), new BlockIdCounter()).Single();
        var query = converted.Blocks.QueryBlocks.Single();
        Assert.Equal([2, 7, 8, 9, 10, 11, 3], query.Ids.ToArray());    // [CLS] none who founded acme ? [SEP]
        Assert.Equal((1, 1), (query.AnswerStart, query.AnswerEnd));
    }

    [Fact]
    public void QuerySlot_ThatIsNotOneToken_IsRejectedByName()
    {
        var tokenizer = WordPieceTokenizer.FromVocab(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "y", "##es", "no"], lowercase: true);
        var error = Assert.Throws<InvalidDataException>(() => new ExampleConverter(tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, Options));
        Assert.Contains("query slot \"yes\" is not a single known token", error.Message);
        // one token, but [UNK]: a vocabulary without the word (a pretrained one that lacks it)
        var unknown = Assert.Throws<InvalidDataException>(() => new ExampleConverter(tokenizer, new TaskSetup { QuerySlots = ["no", "none"] }, Options));
        Assert.Contains("query slot \"none\" is not a single known token", unknown.Message);
    }

    [Fact]
    public void Classification_QueryIsClsSep_CarryingTheLabel()
    {
        var setup = new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["sports", "weather"] };
        var example = new LongDocExample { Id = "c1", Text = "The sky is blue. A storm.", Labels = ["weather"], RelevantSpans = [new CharSpan(17, 25)] };
        var converted = new ExampleConverter(Tokenizer, setup with { SplitMode = SplitMode.Sentence }, Options).Convert(example, new BlockIdCounter()).Single();
        var query = converted.Blocks.QueryBlocks.Single();
        Assert.Equal([2, 3], query.Ids.ToArray());
        Assert.Equal(1, query.Label);
        // no sentences given: the segmenter splits; the block overlapping the relevant span is relevant
        Assert.Equal([0, 1], converted.Blocks.DocumentBlocks.Select(b => b.Relevance));
        var unknown = example with { Labels = ["politics"] };
        Assert.Contains("label \"politics\"", Assert.Throws<InvalidDataException>(() =>
            new ExampleConverter(Tokenizer, setup, Options).Convert(unknown, new BlockIdCounter())).Message);
    }

    [Fact]
    public void MultiLabel_TrainingPairs_AreGoldLabelsPlusSampledNegatives_InferenceQueriesEveryLabel()
    {
        var setup = new TaskSetup { Task = ReasonerTask.MultiLabel, LabelNames = ["sports", "weather", "blue", "sky"], NegativeLabelsPerPositive = 1 };
        var example = new LongDocExample { Id = "m1", Text = "The sky is blue.", Labels = ["weather", "sky"] };
        var converter = new ExampleConverter(Tokenizer, setup, Options);
        var training = converter.Convert(example, new BlockIdCounter(), new Rng(4));
        Assert.Equal(4, training.Count);
        Assert.Equal([1, 3], training.Where(e => e.Blocks.QueryBlocks[0].Label == 1).Select(e => e.LabelId!.Value));
        var inference = converter.Convert(example, new BlockIdCounter());
        Assert.Equal([0, 1, 2, 3], inference.Select(e => e.LabelId!.Value));
        // [CLS] weather [SEP]; every pair has its own document blocks
        Assert.Equal([2, 24, 3], inference[1].Blocks.QueryBlocks[0].Ids.ToArray());
        Assert.NotSame(inference[0].Blocks.DocumentBlocks[0], inference[1].Blocks.DocumentBlocks[0]);
    }
}
