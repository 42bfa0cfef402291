using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter;

/// <summary>
/// One tokenized sentence (or line) for mode S, with the properties its blocks get; a data set's annotated sentence
/// (title, index, character span, supporting fact) is <c>CogLtx.Data.Sentence</c>.
/// </summary>
public sealed record TokenizedSentence(IReadOnlyList<Token> Tokens, BlockProperties? Properties = null);

/// <summary>
/// Mode S, the "hard" split (spec §1; buffer.py <c>split_document_into_blocks(hard=True)</c>), used for NewsQA
/// lines, HotpotQA sentences and every query: each sentence on its own, cut into k = ⌈n/B⌉ pieces of s = ⌈n/k⌉
/// tokens (the last takes the rest), so a 100-token line becomes two blocks of 50.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>
    /// Token ranges [Start, End) of the pieces of an <paramref name="n"/>-token sentence. An empty sentence has no
    /// pieces (the reference divides by zero on it; spec §9.13).
    /// </summary>
    public static IReadOnlyList<(int Start, int End)> Plan(int n, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (n == 0) return [];
        var pieces = CeilDiv(n, blockSize);
        var size = CeilDiv(n, pieces);
        var ranges = new List<(int, int)>(pieces);
        for (var i = 0; i < pieces; i++) ranges.Add((i * size, Math.Min((i + 1) * size, n)));
        return ranges;
    }

    /// <summary>
    /// Blocks of <paramref name="sentences"/> in order, each ending with <paramref name="sepId"/>, positions from
    /// <paramref name="counter"/>. Empty sentences are skipped.
    /// </summary>
    public static IReadOnlyList<Block> Split(IEnumerable<TokenizedSentence> sentences, int sepId, BlockIdCounter counter, int blockSize = 63)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(counter);
        var blocks = new List<Block>();
        foreach (var sentence in sentences)
        {
            var properties = sentence.Properties ?? BlockProperties.Document;
            foreach (var (start, end) in Plan(sentence.Tokens.Count, blockSize))
                blocks.Add(BlockFactory.Create(sentence.Tokens, start, end, sepId, counter, properties));
        }
        return blocks;
    }

    /// <summary>
    /// Query blocks (spec §2): [CLS] + question tokens, split in mode S as one sentence with
    /// <see cref="BlockKind.Query"/>; an empty question gives the single block [CLS][SEP] used for classification.
    /// </summary>
    public static IReadOnlyList<Block> SplitQuery(IReadOnlyList<Token> questionTokens, int clsId, int sepId, BlockIdCounter counter,
        int blockSize = 63, BlockProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(questionTokens);
        var tokens = new List<Token>(questionTokens.Count + 1) { new(clsId, "[CLS]", 0, 0) };
        tokens.AddRange(questionTokens);
        var props = (properties ?? new BlockProperties()) with
        {
            Kind = BlockKind.Query,
            AnswerStartToken = Shift(properties?.AnswerStartToken),
            AnswerEndToken = Shift(properties?.AnswerEndToken),
        };
        return Split([new TokenizedSentence(tokens, props)], sepId, counter, blockSize);
    }

    // Answer positions given relative to the question move by one for the prepended [CLS].
    private static int? Shift(int? index) => index + 1;

    private static int CeilDiv(int a, int b) => (a - 1) / b + 1;
}
