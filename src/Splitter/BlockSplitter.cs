using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter;

/// <summary>Which splitter to run (spec §1, §9.1).</summary>
public enum SplitMode
{
    /// <summary>Mode S: sentences (or lines) each cut into ⌈n/B⌉ equal pieces.</summary>
    Sentence,

    /// <summary>Mode D: the dynamic program packing sentences into blocks of ≤ B tokens.</summary>
    Dp,
}

/// <summary>Splits raw text into blocks with a tokenizer: the entry point for text that is not pre-segmented.</summary>
public static class BlockSplitter
{
    /// <summary>
    /// Splits <paramref name="text"/> with <paramref name="tokenizer"/>: mode D tokenizes the whole text once and runs the
    /// DP over it (as the reference does for 20News); mode S finds sentences with <see cref="SentenceSegmenter"/> and
    /// tokenizes each on its own (as the reference tokenizes each NewsQA line or HotpotQA sentence, so a byte-level BPE
    /// sees no newline tokens and no space prefix on a sentence's first word). Every block ends with the tokenizer's
    /// separator and maps back to its span of <paramref name="text"/>. An answer given as
    /// <see cref="BlockProperties.AnswerSpan"/> is found on the tokens the blocks are made of; answer token indices
    /// given instead index the whole token sequence (mode S: the sentences' tokens concatenated).
    /// Empty (or whitespace-only) text gives no blocks.
    /// </summary>
    public static IReadOnlyList<Block> Split(string text, ITokenizer tokenizer, SplitMode mode, BlockIdCounter counter,
        CogLtxOptions? options = null, BlockProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= CogLtxOptions.Default;
        var sep = tokenizer.Specials.Sep;
        switch (mode)
        {
            case SplitMode.Dp:
                return SplitDp(tokenizer.Tokenize(text), sep, counter, options, properties);
            case SplitMode.Sentence:
                var sentences = SentenceTokens(text, tokenizer);
                var props = AnswerTokens.ResolveInto(properties, sentences.SelectMany(s => s));
                return SentenceSplitter.Split(Sentences(sentences, props), sep, counter, options.BlockSize);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "split mode must be Sentence or Dp");
        }
    }

    /// <summary>
    /// Mode D on the tokens of the whole text, as <see cref="Split"/> makes them (<c>tokenizer.Tokenize(text)</c>), for a
    /// caller that has tokenized the text already: the same blocks as <see cref="Split"/> with <see cref="SplitMode.Dp"/>.
    /// </summary>
    public static IReadOnlyList<Block> SplitDp(IReadOnlyList<Token> tokens, int sep, BlockIdCounter counter, CogLtxOptions? options = null,
        BlockProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return DpSplitter.Split(tokens, sep, counter, options ?? CogLtxOptions.Default, AnswerTokens.ResolveInto(properties, tokens));
    }

    /// <summary>
    /// The tokens of each sentence of <paramref name="text"/>, each sentence tokenized on its own, offsets moved back
    /// into <paramref name="text"/>. Sentences without tokens are dropped.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Token>> SentenceTokens(string text, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var sentences = new List<IReadOnlyList<Token>>();
        foreach (var (start, end) in SentenceSegmenter.Segment(text))
        {
            var tokens = tokenizer.Tokenize(text[start..end]);
            if (tokens.Count == 0) continue;
            sentences.Add([.. tokens.Select(t => t with { Start = t.Start + start, End = t.End + start })]);
        }
        return sentences;
    }

    // Sentences with their properties; answer positions move from whole-sequence token indices to per-sentence ones.
    private static IEnumerable<TokenizedSentence> Sentences(IReadOnlyList<IReadOnlyList<Token>> sentences, BlockProperties? properties)
    {
        var offset = 0;
        foreach (var tokens in sentences)
        {
            var props = properties is null ? null : properties with
            {
                AnswerStartToken = properties.AnswerStartToken - offset,
                AnswerEndToken = properties.AnswerEndToken - offset,
            };
            yield return new TokenizedSentence(tokens, props);
            offset += tokens.Count;
        }
    }
}
