using CogLtx.Text.Documents;

namespace CogLtx.Splitter.Tests;

public sealed class BlockSplitterTests
{
    [Theory]
    [InlineData(SplitMode.Sentence)]
    [InlineData(SplitMode.Dp)]
    public void Split_BlocksMapBackToTheirExactTextAndCoverEveryToken(SplitMode mode)
    {
        var tokenizer = new FakeTokenizer();
        var text = "Überschrift: CogLTX splits long texts.\n" + TextBuilder.Sentence(70) + " " + TextBuilder.Random(9, 300);
        var counter = new BlockIdCounter();
        var blocks = BlockSplitter.Split(text, tokenizer, mode, counter);

        Assert.Equal(tokenizer.Tokenize(text).Select(t => t.Id), blocks.SelectMany(b => b.Ids.Take(b.Length - 1)));
        Assert.All(blocks, b => Assert.InRange(b.Length, 2, 64));
        Assert.Equal(Enumerable.Range(1, blocks.Count).Select(i => (long)i), blocks.Select(b => b.Position));
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.True(blocks[i - 1].Span.End <= blocks[i].Span.Start);
            Assert.True(string.IsNullOrWhiteSpace(text[blocks[i - 1].Span.End..blocks[i].Span.Start]));
        }
        Assert.Equal(text.Trim(), text[blocks[0].Span.Start..blocks[^1].Span.End]);
    }

    [Fact]
    public void SentenceMode_KeepsSentencesApart_DpModePacksThem()
    {
        var tokenizer = new FakeTokenizer();
        var text = "Short one. Another short one. A third.";
        var sentence = BlockSplitter.Split(text, tokenizer, SplitMode.Sentence, new BlockIdCounter());
        Assert.Equal(["Short one.", "Another short one.", "A third."], sentence.Select(b => text[b.Span.Start..b.Span.End]));
        var dp = BlockSplitter.Split(text, tokenizer, SplitMode.Dp, new BlockIdCounter());
        Assert.Equal(text, text[Assert.Single(dp).Span.Start..dp[0].Span.End]);
    }

    [Fact]
    public void SentenceMode_AnswerTokenIndexIsWholeText()
    {
        // Tokens: Short(0) one(1) .(2) Another(3) answer(4) here(5) .(6); the answer "answer here" = tokens 4..5.
        var text = "Short one. Another answer here.";
        var blocks = BlockSplitter.Split(text, new FakeTokenizer(), SplitMode.Sentence, new BlockIdCounter(),
            properties: new BlockProperties { AnswerStartToken = 4, AnswerEndToken = 5 });
        Assert.Equal(((int?)null, (int?)null), (blocks[0].AnswerStart, blocks[0].AnswerEnd));
        Assert.Equal(((int?)1, (int?)2), (blocks[1].AnswerStart, blocks[1].AnswerEnd));
    }

    [Fact]
    public void SentenceTokens_TokenizesEachSentenceOnItsOwn_OffsetsIntoTheWholeText()
    {
        // With a byte-level style tokenizer a sentence's first word has no "Ġ" when tokenized alone.
        var text = "One two. Three four five!\nSix";
        var sentences = BlockSplitter.SentenceTokens(text, new FakeTokenizer(byteLevelPrefix: true));
        Assert.Equal([["One", "Ġtwo", "."], ["Three", "Ġfour", "Ġfive", "!"], ["Six"]], sentences.Select(g => g.Select(t => t.Text).ToArray()));
        Assert.All(sentences.SelectMany(s => s), t => Assert.Equal(t.Text.TrimStart('Ġ'), text[t.Start..t.End]));
    }

    [Theory]
    [InlineData(SplitMode.Sentence)]
    [InlineData(SplitMode.Dp)]
    public void EmptyText_GivesNoBlocks(SplitMode mode)
    {
        Assert.Empty(BlockSplitter.Split("", new FakeTokenizer(), mode, new BlockIdCounter()));
        Assert.Empty(BlockSplitter.Split("  \n ", new FakeTokenizer(), mode, new BlockIdCounter()));
    }
}
