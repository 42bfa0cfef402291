using CogLtx.Data;
using CogLtx.Splitter;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Training.Tests;

/// <summary>
/// Each document is tokenized once however it is split (issue 11): the converter asks the tokenizer for the whole text
/// only on the path that splits it, and a multi-label document read under several labels is split once and its blocks
/// copied. The tokenizer is the real bert-base-uncased WordPiece (tests/fixtures) behind a wrapper that records every
/// text it is given.
/// </summary>
public sealed class ExampleConverterTokenizationTests
{
    private const string Document = "The storm reached the coast at night. Rain fell for three days, and the rivers rose. " +
        "Schools closed; the football final was moved to the following week. Fans waited in the rain.";

    private static readonly Lazy<ITokenizer> Bert = new(() => TokenizerLoader.Load(RealTokenizerConversionTests.FixtureTokenizer("bert-base-uncased")));

    [Theory]
    [InlineData(SplitMode.Dp)]
    [InlineData(SplitMode.Sentence)]
    public void Classification_TokenizesTheDocumentOnce(SplitMode mode)
    {
        var tokenizer = new CountingTokenizer(Bert.Value);
        var setup = new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["sports", "weather"], SplitMode = mode };
        new ExampleConverter(tokenizer, setup, CogLtxOptions.Default).Convert(new LongDocExample { Id = "c", Text = Document, Labels = ["weather"] }, new BlockIdCounter());

        // DP reads the whole text; sentence mode reads each sentence once; neither reads any character twice
        Assert.Equal(NonSpace(Document), tokenizer.Texts.Sum(NonSpace));
    }

    [Fact]
    public void MultiLabel_DpMode_SplitsTheDocumentOnce_AndEveryLabelGetsCopiesAtNewPositions()
    {
        var tokenizer = new CountingTokenizer(Bert.Value);
        string[] labels = ["sports", "weather", "travel"];
        var setup = new TaskSetup { Task = ReasonerTask.MultiLabel, LabelNames = labels, SplitMode = SplitMode.Dp };
        var example = new LongDocExample { Id = "m", Text = Document, Labels = ["sports", "weather"] };
        var converted = new ExampleConverter(tokenizer, setup, CogLtxOptions.Default).Convert(example, new BlockIdCounter());

        Assert.Equal(1, tokenizer.Texts.Count(t => t == Document));
        Assert.Equal(labels, tokenizer.Texts.Where(t => t != Document));
        // the same blocks as one DP split of the text (ids and spans) under every label, at fresh, increasing positions
        var split = BlockSplitter.Split(Document, Bert.Value, SplitMode.Dp, new BlockIdCounter());
        var positions = new List<long>();
        foreach (var problem in converted)
        {
            Assert.Equal(split.Select(b => b.Ids.ToArray()), problem.Blocks.DocumentBlocks.Select(b => b.Ids.ToArray()));
            Assert.Equal(split.Select(b => b.Span), problem.Blocks.DocumentBlocks.Select(b => b.Span));
            Assert.All(problem.Blocks.DocumentBlocks, b => Assert.Equal("m", b.ExampleId));
            positions.AddRange(problem.Blocks.AllBlocks.Select(b => b.Position));
        }
        Assert.Equal(Enumerable.Range(1, positions.Count).Select(i => (long)i), positions);
        Assert.NotSame(converted[0].Blocks.DocumentBlocks[0], converted[1].Blocks.DocumentBlocks[0]);
    }

    [Fact]
    public void SpanQa_GivenSentences_TokenizesTheDocumentOnce()
    {
        var tokenizer = new CountingTokenizer(Bert.Value);
        var text = "Mira Quell was born in Tarvos. She studied glass.";
        var example = new LongDocExample
        {
            Id = "q",
            Text = text,
            Question = "Where was Mira Quell born?",
            Answer = Answer.Span("Tarvos", new CharSpan(23, 29)),
            Sentences = [new Data.Sentence(null, 0, new CharSpan(0, 30), IsSupporting: true), new Data.Sentence(null, 1, new CharSpan(31, text.Length), IsSupporting: false)],
        };
        var converted = new ExampleConverter(tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, CogLtxOptions.Default).Convert(example, new BlockIdCounter(), new Rng(1));

        Assert.Equal(1, tokenizer.Texts.Count(t => t.Contains("Tarvos", StringComparison.Ordinal) && t.Contains("glass", StringComparison.Ordinal)));
        Assert.True(converted[0].HasTarget);
    }

    [Theory]
    [InlineData(ReasonerTask.Classification)]
    [InlineData(ReasonerTask.SpanQa)]
    public void TokensGivenByTheCaller_AreUsedInsteadOfTokenizingAgain_AndGiveTheSameBlocks(ReasonerTask task)
    {
        var setup = task == ReasonerTask.SpanQa
            ? new TaskSetup { Task = task, QuerySlots = ["yes", "no"], SplitMode = SplitMode.Dp }
            : new TaskSetup { Task = task, LabelNames = ["sports", "weather"], SplitMode = SplitMode.Dp };
        var example = task == ReasonerTask.SpanQa
            ? new LongDocExample { Id = "q", Text = Document, Question = "When was the final played?", Answer = Answer.Span("the following week", [new CharSpan(Document.IndexOf("the following week", StringComparison.Ordinal), Document.IndexOf("the following week", StringComparison.Ordinal) + 18)]) }
            : new LongDocExample { Id = "c", Text = Document, Labels = ["weather"] };
        var alone = new ExampleConverter(Bert.Value, setup, CogLtxOptions.Default).Convert(example, new BlockIdCounter());

        var tokenizer = new CountingTokenizer(Bert.Value);
        var given = new ExampleConverter(tokenizer, setup, CogLtxOptions.Default).ConvertAll([(example, Bert.Value.Tokenize(Document))], new BlockIdCounter());

        Assert.DoesNotContain(Document, tokenizer.Texts);
        var (a, b) = (Assert.Single(alone), Assert.Single(given));
        Assert.Equal(a.Blocks.AllBlocks.Select(x => (x.Ids.ToArray(), x.Span, x.Position)), b.Blocks.AllBlocks.Select(x => (x.Ids.ToArray(), x.Span, x.Position)));
        Assert.Equal(a.HasTarget, b.HasTarget);
    }

    private static int NonSpace(string text) => text.Count(c => !char.IsWhiteSpace(c));

    /// <summary>Records every text given to <see cref="Tokenize"/>; everything else goes to the wrapped tokenizer.</summary>
    private sealed class CountingTokenizer(ITokenizer inner) : ITokenizer
    {
        public List<string> Texts { get; } = [];

        public int VocabSize => inner.VocabSize;

        public SpecialTokens Specials => inner.Specials;

        public IReadOnlyList<Token> Tokenize(string text)
        {
            Texts.Add(text);
            return inner.Tokenize(text);
        }

        public Encoding Encode(string text, string? pair = null, bool addSpecialTokens = true, int? maxLength = null) => inner.Encode(text, pair, addSpecialTokens, maxLength);

        public string Decode(IEnumerable<int> ids) => inner.Decode(ids);

        public string IdToToken(int id) => inner.IdToToken(id);

        public int? TokenToId(string token) => inner.TokenToId(token);
    }
}
