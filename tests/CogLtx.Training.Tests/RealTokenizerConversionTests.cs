using System.Runtime.CompilerServices;
using CogLtx.Data;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training.Relevance;

namespace CogLtx.Training.Tests;

/// <summary>
/// Example conversion on the real bert-base-uncased WordPiece and roberta-base byte-level BPE vocabularies
/// (tests/fixtures/tokenizers): HotpotQA title prefixes (spec §7), answer carriers when blocks are tokenized one
/// sentence at a time (spec §1), and BM25 initialisation from the label name (spec §5.5).
/// </summary>
public sealed class RealTokenizerConversionTests
{
    private static readonly Lazy<ITokenizer> Bert = new(() => TokenizerLoader.Load(FixtureTokenizer("bert-base-uncased")));
    private static readonly Lazy<ITokenizer> Roberta = new(() => TokenizerLoader.Load(FixtureTokenizer("roberta-base")));

    public static TheoryData<string> Tokenizers => ["bert-base-uncased", "roberta-base"];

    private static ITokenizer Named(string name) => name == "roberta-base" ? Roberta.Value : Bert.Value;

    private const string HotpotRecord = """
        [{"_id": "h1", "question": "Where was the founder of Zorblax born?", "answer": "Tarvos", "type": "bridge", "level": "hard",
          "supporting_facts": [["Zorblax", 1], ["Mira Quell", 0]],
          "context": [
            ["Zorblax", ["Zorblax is a company that makes lamps.", " It was founded by Mira Quell in 1990."]],
            ["Harbour Lights", ["Harbour Lights is a film.", " It was shot at night."]],
            ["Mira Quell", ["Mira Quell was born in Tarvos.", " She studied glass."]]]}]
        """;

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void HotpotQa_EverySentenceBlockStartsWithItsTitleAndSemicolon_NoTitleOnlyBlocks(string name)
    {
        var tokenizer = Named(name);
        var example = ReadHotpot();
        var converter = new ExampleConverter(tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, CogLtxOptions.Default);
        var blocks = converter.Convert(example, new BlockIdCounter()).Single().Blocks.DocumentBlocks;

        // spec §7: one mode-S sentence per context sentence, each prefixed by "title ;"; six short sentences, six blocks.
        Assert.Equal(example.Sentences!.Count, blocks.Count);
        foreach (var (block, sentence) in blocks.Zip(example.Sentences!))
        {
            Assert.Equal(new BlockOrigin(sentence.Title!, sentence.Index), block.Origin);
            var prefix = tokenizer.Tokenize(sentence.Title + " ;").Select(t => t.Id).ToArray();
            Assert.True(block.Ids.Take(prefix.Length).SequenceEqual(prefix),
                $"block of ({sentence.Title}, {sentence.Index}) starts with [{string.Join(' ', block.Ids.Take(prefix.Length))}], expected the title prefix [{string.Join(' ', prefix)}]");
            // The block's span stays its sentence: the prefix tokens point at no text.
            Assert.Equal(sentence.Span, block.Span);
            Assert.Equal(sentence.IsSupporting ? 1 : 0, block.Relevance);
        }
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void HotpotQa_AnswerCarrierPointsAtTheAnswerTokens_AfterTheTitlePrefix(string name)
    {
        var tokenizer = Named(name);
        var example = ReadHotpot();
        var converter = new ExampleConverter(tokenizer, new TaskSetup { QuerySlots = ["yes", "no"] }, CogLtxOptions.Default);
        var blocks = converter.Convert(example, new BlockIdCounter()).Single().Blocks.DocumentBlocks;
        AssertCarriers(example, blocks, "Tarvos");
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void SentenceMode_MultiLineTextWithoutGivenSentences_AnswerCarrierPointsAtTheAnswer(string name)
    {
        // Mode S tokenizes each line on its own (no newline tokens, no space prefix on a line's first word), so token
        // indices taken from the whole text's tokens would point elsewhere; spec §1 marks the block holding the answer.
        var tokenizer = Named(name);
        const string text = "Acme makes lamps.\nThe sky is blue today.\n\nMira Quell founded Acme.\nShe was born in Tarvos, far away.";
        var at = text.IndexOf("Tarvos", StringComparison.Ordinal);
        var example = new LongDocExample
        {
            Id = "m1",
            Text = text,
            Question = "Where was the founder of Acme born?",
            Answer = Answer.Span("Tarvos", new CharSpan(at, at + "Tarvos".Length)),
        };
        var converter = new ExampleConverter(tokenizer, new TaskSetup(), CogLtxOptions.Default);
        var converted = converter.Convert(example, new BlockIdCounter()).Single();
        Assert.True(converted.HasTarget);
        AssertCarriers(example, converted.Blocks.DocumentBlocks, "Tarvos");
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Bm25Init_Classification_QueriesWithTheLabelName(string name)
    {
        // spec §5.5: for 20News the query is the label name with '.' → ' ' ("soc religion christian").
        var tokenizer = Named(name);
        const string text = "The weather was mild all week.\nThe new graphics card renders fast.\n" +
                            "Our christian religion group meets on sunday.\nTraffic was slow on the bridge.";
        var example = new LongDocExample { Id = "n1", Text = text, Labels = ["soc.religion.christian"] };
        var setup = new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["comp.graphics", "soc.religion.christian"] };
        var blocks = new ExampleConverter(tokenizer, setup, CogLtxOptions.Default).Convert(example, new BlockIdCounter()).Single().Blocks;
        Assert.Equal(4, blocks.DocumentBlocks.Count);

        var initialised = RelevanceInitializer.InitBm25(blocks, b => tokenizer.Decode(b.Ids));

        Assert.True(initialised, "BM25 found no block matching the label name");
        Assert.Equal([0, 0, 1, 0], blocks.DocumentBlocks.Select(b => b.Relevance));
    }

    private static void AssertCarriers(LongDocExample example, IReadOnlyList<Block> blocks, string answer)
    {
        var span = example.Answer!.Spans[0];
        var start = Assert.Single(blocks, b => b.AnswerStart is not null);
        var end = Assert.Single(blocks, b => b.AnswerEnd is not null);
        var first = start.TokenOffsets[start.AnswerStart!.Value];
        var last = end.TokenOffsets[end.AnswerEnd!.Value];
        Assert.True(first.Start <= span.Start && span.Start < first.End,
            $"the start carrier's token {first} = \"{Slice(example.Text, first)}\" does not hold the answer's first character {span.Start}");
        Assert.True(last.Start < span.End && span.End <= last.End,
            $"the end carrier's token {last} = \"{Slice(example.Text, last)}\" does not hold the answer's last character {span.End - 1}");
        Assert.Equal(answer, example.Text[first.Start..last.End].Trim());
    }

    private static string Slice(string text, CharSpan span) => span.IsEmpty ? "" : text[span.Start..span.End];

    private static LongDocExample ReadHotpot()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cogltx-hotpot-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, HotpotRecord);
        try
        {
            return HotpotQaReader.Read(path).Items.Single();
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static string FixtureTokenizer(string name, [CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null && start.Length > 0; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return Path.Combine(dir.FullName, "tests", "fixtures", "tokenizers", name);
        throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {source}");
    }
}
