using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter.Tests;

public sealed class DpSplitterTests
{
    private static int[] Sizes(DpPlan plan) => [.. plan.Ranges.Select(r => r.End - r.Start)];

    private static List<string> Texts(string text, FakeTokenizer? tokenizer = null) =>
        [.. (tokenizer ?? new FakeTokenizer()).Tokenize(text).Select(t => t.Text)];

    [Fact]
    public void TenTwentyTokenSentences_PackThreePerBlock_60_60_60_20()
    {
        // Each sentence: 19 words + "." = 20 tokens; cuts after tokens 19, 39, …, 199, cost 1 each.
        // At most 3 sentences (60 tokens) fit in 63, so 4 blocks: cost 4·4 + 4·1 = 20. Several partitions cost 20
        // (e.g. 20,60,60,60); ties keep the nearest j, and backtracking from the end gives 60,60,60,20.
        var text = string.Join(" ", Enumerable.Range(0, 10).Select(i => TextBuilder.Sentence(19, ".", 100 * i)));
        var plan = DpSplitter.Plan(Texts(text));
        Assert.Equal([60, 60, 60, 20], Sizes(plan));
        Assert.Equal(20, plan.Cost);
    }

    [Fact]
    public void NoPunctuation_ForcedCutsEvery63Tokens()
    {
        // 130 tokens, no end token: cuts −1 (virtual), 62 and 125 (forced, cost 8), 129 (last token, cost 0).
        // Blocks (−1,62], (62,125], (125,129] = 63, 63, 4; cost = 3·4 + 8 + 8 + 0 = 28.
        var plan = DpSplitter.Plan(Texts(TextBuilder.Words(130)));
        Assert.Equal([(0, 63), (63, 126), (126, 130)], plan.Ranges);
        Assert.Equal(28, plan.Cost);
    }

    [Fact]
    public void ForcedCuts_FallAtFixedStridesAfterTheLastPunctuation()
    {
        // "." at token 9, then 120 words (tokens 10..129): one forced cut at 9 + 63 = 72, after which the last token
        // 129 is 57 away. Blocks [0,10), [10,73), [73,130) = 10, 63, 57; the DP cannot move the forced cut.
        var text = TextBuilder.Sentence(9) + " " + TextBuilder.Words(120);
        var plan = DpSplitter.Plan(Texts(text));
        Assert.Equal([(0, 10), (10, 73), (73, 130)], plan.Ranges);
        Assert.Equal(4 + 1 + 4 + 8 + 4 + 0, plan.Cost);
    }

    [Fact]
    public void Comma_IsPreferredOverForcedCut()
    {
        // 100 tokens ending with "."; a "," at token 49. Cuts −1, 49 (2), 99 (1) are ≤ 63 apart: no forced cut.
        // Blocks 50 + 50, cost 4 + 2 + 4 + 1 = 11. Without the comma: forced cut at 62 → 63 + 37, cost 4 + 8 + 4 + 1 = 17.
        var withComma = TextBuilder.Sentence(49, ",") + " " + TextBuilder.Sentence(49, ".", 100);
        var plan = DpSplitter.Plan(Texts(withComma));
        Assert.Equal([50, 50], Sizes(plan));
        Assert.Equal(11, plan.Cost);

        var withoutComma = TextBuilder.Sentence(99, ".");
        var forced = DpSplitter.Plan(Texts(withoutComma));
        Assert.Equal([63, 37], Sizes(forced));
        Assert.Equal(17, forced.Cost);
    }

    [Fact]
    public void SentenceEnd_IsPreferredOverComma()
    {
        // 70 tokens: "." at 29, "," at 49, "." at 69. Via "." at 29: (4+1)+(4+1) = 10; via "," at 49: (4+2)+(4+1) = 11.
        var text = TextBuilder.Sentence(29, ".") + " " + TextBuilder.Sentence(19, ",", 100) + " " + TextBuilder.Sentence(19, ".", 200);
        var plan = DpSplitter.Plan(Texts(text));
        Assert.Equal([30, 40], Sizes(plan));
        Assert.Equal(10, plan.Cost);
    }

    [Fact]
    public void Newline_CostsZero()
    {
        // 20 words "\n" 20 words "." 20 words "." with newline tokens: cuts 20 (0), 41 (1), 62 (1); everything fits in
        // one 63-token block (cost 4 + 1 = 5), so the DP still packs; with a 40-token budget it must cut at the newline
        // (cost 0) and at 41: blocks 21, 21, 21 cost (4+0) + (4+1) + (4+1) = 14.
        var tokenizer = new FakeTokenizer(newlineTokens: true);
        var text = TextBuilder.Words(20) + "\n" + TextBuilder.Sentence(20, ".", 100) + " " + TextBuilder.Sentence(20, ".", 200);
        var texts = Texts(text, tokenizer);
        Assert.Equal(63, texts.Count);
        Assert.Equal([63], Sizes(DpSplitter.Plan(texts)));
        var small = DpSplitter.Plan(texts, blockSize: 40);
        Assert.Equal([21, 21, 21], Sizes(small));
        Assert.Equal(14, small.Cost);
    }

    [Fact]
    public void ByteLevelSpacePrefixedForms_CountAsEndTokens()
    {
        // "w0 ." gives the token "Ġ." (cost 1) like RoBERTa; it must be a cut candidate exactly as ".".
        var tokenizer = new FakeTokenizer(byteLevelPrefix: true);
        var text = TextBuilder.Words(49) + " ." + " " + TextBuilder.Words(49);
        var texts = Texts(text, tokenizer);
        Assert.Equal("Ġ.", texts[49]);
        Assert.Equal([50, 49], Sizes(DpSplitter.Plan(texts)));
    }

    [Fact]
    public void EmptyInput_GivesNoBlocks()
    {
        var plan = DpSplitter.Plan([]);
        Assert.Empty(plan.Ranges);
        Assert.Empty(DpSplitter.Split([], 2, new BlockIdCounter()));
    }

    [Fact]
    public void OneToken_GivesOneBlockWithSeparator()
    {
        var tokenizer = new FakeTokenizer();
        var blocks = DpSplitter.Split(tokenizer.Tokenize("hello"), tokenizer.Specials.Sep, new BlockIdCounter());
        var block = Assert.Single(blocks);
        Assert.Equal(2, block.Length);
        Assert.Equal(tokenizer.Specials.Sep, block.Ids[^1]);
        Assert.Equal(new CharSpan(0, 5), block.Span);
    }

    [Fact]
    public void TenThousandTokensWithoutPunctuation_Gives158FullBlocksAndA46()
    {
        // Forced cuts at 62 + 63k up to 9953; then the last token 9999 is 46 away.
        var tokens = Enumerable.Range(0, 10_000).Select(i => new Token(10 + i % 500, "w", 2 * i, 2 * i + 1)).ToList();
        var blocks = DpSplitter.Split(tokens, 2, new BlockIdCounter());
        Assert.Equal(159, blocks.Count);
        Assert.All(blocks.Take(158), b => Assert.Equal(64, b.Length));
        Assert.Equal(47, blocks[^1].Length);
        Assert.Equal(new CharSpan(2 * 9954, 2 * 9999 + 1), blocks[^1].Span);
    }

    [Theory]
    [InlineData(1, 63)]
    [InlineData(2, 63)]
    [InlineData(3, 20)]
    [InlineData(4, 7)]
    [InlineData(5, 1)]
    public void RandomTexts_EveryTokenInExactlyOneBlock_NoneOverBudget_SpansGiveBackTheText(int seed, int blockSize)
    {
        var tokenizer = new FakeTokenizer();
        var text = TextBuilder.Random(seed, 2_000);
        var tokens = tokenizer.Tokenize(text);
        var options = CogLtxOptions.Default with { BlockSize = blockSize };
        var blocks = DpSplitter.Split(tokens, tokenizer.Specials.Sep, new BlockIdCounter(), options);

        var next = 0;
        foreach (var block in blocks)
        {
            Assert.InRange(block.Length - 1, 1, blockSize);
            Assert.Equal(tokenizer.Specials.Sep, block.Ids[^1]);
            for (var i = 0; i < block.Length - 1; i++, next++)
            {
                Assert.Equal(tokens[next].Id, block.Ids[i]);
                Assert.Equal(new CharSpan(tokens[next].Start, tokens[next].End), block.TokenOffsets[i]);
            }
            var span = block.Span;
            Assert.Equal(tokens[next - block.Length + 1].Start, span.Start);
            Assert.Equal(tokens[next - 1].End, span.End);
            Assert.Equal(string.Concat(Enumerable.Range(next - block.Length + 1, block.Length - 1).Select(t => text[tokens[t].Start..tokens[t].End])),
                string.Concat(text[span.Start..span.End].Where(c => !char.IsWhiteSpace(c))));
        }
        Assert.Equal(tokens.Count, next);
    }

    [Fact]
    public void Split_CarriesPropertiesAndAnswerPositions()
    {
        var tokenizer = new FakeTokenizer();
        // Two 40-token sentences (80 > 63 tokens): blocks [0,40) and [40,80); the answer (tokens 45..50) is in the second.
        var text = TextBuilder.Sentence(39) + " " + TextBuilder.Sentence(39, ".", 100);
        var props = new BlockProperties { Relevance = 3, Label = 7, LabelName = "sci.space", AnswerStartToken = 45, AnswerEndToken = 50 };
        var counter = new BlockIdCounter(41);
        var blocks = DpSplitter.Split(tokenizer.Tokenize(text), 2, counter, properties: props);
        Assert.Equal(2, blocks.Count);
        Assert.Equal([42L, 43L], blocks.Select(b => b.Position));
        Assert.All(blocks, b => Assert.Equal((3, 7, "sci.space"), (b.Relevance, b.Label, b.LabelName)));
        Assert.Null(blocks[0].AnswerStart);
        Assert.Equal(5, blocks[1].AnswerStart);
        Assert.Equal(10, blocks[1].AnswerEnd);
    }
}
