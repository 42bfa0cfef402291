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
    /// Tokenizes <paramref name="text"/> once and splits it: mode D over the flat token list, or mode S over the
    /// sentences found by <see cref="SentenceSegmenter"/>. Every block ends with the tokenizer's separator and maps
    /// back to its span of <paramref name="text"/>. Answer token indices in <paramref name="properties"/> index the
    /// whole text's token list in both modes. Empty (or whitespace-only) text gives no blocks.
    /// </summary>
    public static IReadOnlyList<Block> Split(string text, ITokenizer tokenizer, SplitMode mode, BlockIdCounter counter,
        CogLtxOptions? options = null, BlockProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= CogLtxOptions.Default;
        var tokens = tokenizer.Tokenize(text);
        var sep = tokenizer.Specials.Sep;
        return mode switch
        {
            SplitMode.Dp => DpSplitter.Split(tokens, sep, counter, options, properties),
            SplitMode.Sentence => SentenceSplitter.Split(Sentences(text, tokens, properties), sep, counter, options.BlockSize),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "split mode must be Sentence or Dp"),
        };
    }

    // Sentences of the text; answer positions move from whole-text token indices to per-sentence ones.
    private static IEnumerable<Sentence> Sentences(string text, IReadOnlyList<Token> tokens, BlockProperties? properties)
    {
        var offset = 0;
        foreach (var group in SentenceSegmenter.GroupTokens(text, tokens))
        {
            var props = properties is null ? null : properties with
            {
                AnswerStartToken = properties.AnswerStartToken - offset,
                AnswerEndToken = properties.AnswerEndToken - offset,
            };
            yield return new Sentence(group, props);
            offset += group.Count;
        }
    }
}
