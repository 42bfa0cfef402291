using System.Collections.Frozen;
using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Splitter;

/// <summary>A DP split: token ranges [Start, End) of the blocks, and the cost the DP minimised.</summary>
public sealed record DpPlan(IReadOnlyList<(int Start, int End)> Ranges, int Cost);

/// <summary>
/// Mode D, the dynamic-programming split (spec §1; buffer.py <c>split_document_into_blocks(hard=False)</c>), used
/// for 20News. It minimises <c>BlockCost·#blocks + Σ end costs</c> over cuts after end tokens (newline 0, <c>. ? !</c>
/// 1, <c>,</c> 2, and RoBERTa's space-prefixed <c>Ġ</c> forms alike), with forced cuts (cost 8) at fixed B-token
/// strides wherever two candidate cuts are more than B apart; so it packs several sentences per block and prefers
/// sentence ends, then commas, then forced cuts.
/// </summary>
public static class DpSplitter
{
    /// <summary>
    /// End-token costs of the reference (buffer.py <c>end_tokens</c>). RoBERTa writes a newline as <c>Ċ</c>, so the
    /// newline entry never fires there (reproduced: <c>Ċ</c> is deliberately absent; pass a table to change it).
    /// </summary>
    public static FrozenDictionary<string, int> ReferenceEndTokenCosts { get; } = new Dictionary<string, int>
    {
        ["\n"] = 0, ["."] = 1, ["?"] = 1, ["!"] = 1, [","] = 2,
        ["Ġ\n"] = 0, ["Ġ."] = 1, ["Ġ?"] = 1, ["Ġ!"] = 1, ["Ġ,"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The DP over cut candidates for tokens whose strings are <paramref name="tokenTexts"/>:
    /// (1) cuts = end tokens with their cost; (2) a virtual cut at −1 (cost 0) and, unless the last token is already
    /// a cut, one at the last token (cost 0); (3) left to right, while two neighbouring cuts are more than
    /// <paramref name="blockSize"/> apart, a forced cut <paramref name="blockSize"/> after the left one (cost
    /// <paramref name="forcedCutCost"/>); (4) best[i] = min over earlier cuts j with p_i − p_j ≤ B of
    /// best[j] + c_i + <paramref name="blockCost"/>, ties to the nearest j; (5) backtrack from the last cut; block =
    /// tokens (p_j, p_i]. Runs as <see cref="DpPlanner"/>: linear time, any length.
    /// </summary>
    public static DpPlan Plan(IReadOnlyList<string> tokenTexts, int blockSize = 63, int blockCost = 4, int forcedCutCost = 8,
        IReadOnlyDictionary<string, int>? endTokenCosts = null)
    {
        ArgumentNullException.ThrowIfNull(tokenTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        endTokenCosts ??= ReferenceEndTokenCosts;
        var planner = new DpPlanner(blockSize, blockCost, forcedCutCost);
        var ranges = new List<(int, int)>();
        foreach (var text in tokenTexts)
        {
            planner.Add(endTokenCosts.TryGetValue(text, out var cost) ? cost : -1);
            ranges.AddRange(planner.TakeCommitted());
        }
        var total = planner.Finish();
        ranges.AddRange(planner.TakeCommitted());
        return new DpPlan(ranges, checked((int)total));
    }

    /// <summary>
    /// The character span and content-token count of each mode-D block of <paramref name="text"/>, streamed: the text
    /// is tokenized in pieces of about <paramref name="chunkChars"/> characters cut only before a space that sits
    /// between two ASCII letters or digits (where WordPiece and byte-level BPE pre-tokenization both break, so the
    /// tokens equal those of the whole text), and blocks come out as soon as the DP has fixed them. Same blocks as
    /// <see cref="Split"/> on <c>tokenizer.Tokenize(text)</c>, in memory bounded by a piece and the undecided stretch
    /// of the DP rather than by the document.
    /// </summary>
    public static IEnumerable<(CharSpan Span, int Tokens)> Spans(string text, ITokenizer tokenizer, CogLtxOptions? options = null,
        IReadOnlyDictionary<string, int>? endTokenCosts = null, int chunkChars = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkChars, 1);
        options ??= CogLtxOptions.Default;
        endTokenCosts ??= ReferenceEndTokenCosts;
        var planner = new DpPlanner(options.BlockSize, options.BlockCost, options.ForcedCutCost);
        var offsets = new List<CharSpan>();   // offsets of tokens from index `first` on
        var first = 0;
        IEnumerable<(CharSpan, int)> Drain()
        {
            var consumed = 0;
            foreach (var (start, end) in planner.TakeCommitted())
            {
                yield return (SpanOf(offsets, start - first, end - first), end - start);
                consumed = end - first;
            }
            offsets.RemoveRange(0, consumed);
            first += consumed;
        }
        for (var at = 0; at < text.Length; )
        {
            var cut = ChunkEnd(text, at, chunkChars);
            foreach (var token in tokenizer.Tokenize(text[at..cut]))
            {
                offsets.Add(token.End > token.Start ? new CharSpan(token.Start + at, token.End + at) : default);
                planner.Add(endTokenCosts.TryGetValue(token.Text, out var cost) ? cost : -1);
            }
            foreach (var block in Drain()) yield return block;
            at = cut;
        }
        planner.Finish();
        foreach (var block in Drain()) yield return block;
    }

    // End of the piece starting at `start`: the first safe break at or after start + size, else the end of the text.
    private static int ChunkEnd(string text, int start, int size)
    {
        for (var k = Math.Max(start + size, 1); k < text.Length - 1; k++)
            if (text[k] == ' ' && char.IsAsciiLetterOrDigit(text[k - 1]) && char.IsAsciiLetterOrDigit(text[k + 1])) return k;
        return text.Length;
    }

    // As BlockFactory: first to last content token with a non-empty span.
    private static CharSpan SpanOf(List<CharSpan> offsets, int start, int end)
    {
        int spanStart = -1, spanEnd = -1;
        for (var i = start; i < end; i++)
        {
            if (offsets[i].IsEmpty) continue;
            if (spanStart < 0) spanStart = offsets[i].Start;
            spanEnd = offsets[i].End;
        }
        return spanStart < 0 ? default : new CharSpan(spanStart, spanEnd);
    }

    /// <summary>
    /// Blocks of one flat token list, each ending with <paramref name="sepId"/>, positions from
    /// <paramref name="counter"/>; costs and block size from <paramref name="options"/>. Empty input → no blocks.
    /// </summary>
    public static IReadOnlyList<Block> Split(IReadOnlyList<Token> tokens, int sepId, BlockIdCounter counter, CogLtxOptions? options = null,
        BlockProperties? properties = null, IReadOnlyDictionary<string, int>? endTokenCosts = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(counter);
        options ??= CogLtxOptions.Default;
        var plan = Plan(tokens.Select(t => t.Text).ToList(), options.BlockSize, options.BlockCost, options.ForcedCutCost, endTokenCosts);
        var props = properties ?? BlockProperties.Document;
        return plan.Ranges.Select(r => BlockFactory.Create(tokens, r.Start, r.End, sepId, counter, props)).ToList();
    }
}
