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

    // The reference's initial DP value for an unreached cut.
    private const int Unreached = 100000;

    /// <summary>
    /// The DP over cut candidates for tokens whose strings are <paramref name="tokenTexts"/>:
    /// (1) cuts = end tokens with their cost; (2) a virtual cut at −1 (cost 0) and, unless the last token is already
    /// a cut, one at the last token (cost 0); (3) left to right, while two neighbouring cuts are more than
    /// <paramref name="blockSize"/> apart, a forced cut <paramref name="blockSize"/> after the left one (cost
    /// <paramref name="forcedCutCost"/>); (4) best[i] = min over earlier cuts j with p_i − p_j ≤ B of
    /// best[j] + c_i + <paramref name="blockCost"/>, j scanned from i − 1 down, replaced only when strictly smaller
    /// (ties keep the nearest j); (5) backtrack from the last cut; block = tokens (p_j, p_i].
    /// </summary>
    public static DpPlan Plan(IReadOnlyList<string> tokenTexts, int blockSize = 63, int blockCost = 4, int forcedCutCost = 8,
        IReadOnlyDictionary<string, int>? endTokenCosts = null)
    {
        ArgumentNullException.ThrowIfNull(tokenTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        endTokenCosts ??= ReferenceEndTokenCosts;
        var n = tokenTexts.Count;

        var candidates = new List<(int Pos, int Cost)>();
        for (var i = 0; i < n; i++)
            if (endTokenCosts.TryGetValue(tokenTexts[i], out var cost)) candidates.Add((i, cost));
        if (n > 0 && (candidates.Count == 0 || candidates[^1].Pos < n - 1)) candidates.Add((n - 1, 0));

        // Same cut list as the reference's insert-while-scanning loop, built in one pass.
        var cuts = new List<(int Pos, int Cost)>(candidates.Count + n / blockSize + 1) { (-1, 0) };
        foreach (var cut in candidates)
        {
            while (cut.Pos - cuts[^1].Pos > blockSize) cuts.Add((cuts[^1].Pos + blockSize, forcedCutCost));
            cuts.Add(cut);
        }

        var best = new int[cuts.Count];
        var from = new int[cuts.Count];
        for (var i = 1; i < cuts.Count; i++)
        {
            best[i] = Unreached;
            from[i] = -1;
            for (var j = i - 1; j >= 0 && cuts[i].Pos - cuts[j].Pos <= blockSize; j--)
            {
                var value = best[j] + cuts[i].Cost + blockCost;
                if (value < best[i]) (best[i], from[i]) = (value, j);
            }
            if (from[i] < 0) throw new InvalidOperationException($"DP split: cut at token {cuts[i].Pos} has no predecessor within {blockSize} tokens");
        }

        var ranges = new List<(int, int)>();
        for (var x = cuts.Count - 1; x > 0; x = from[x]) ranges.Add((cuts[from[x]].Pos + 1, cuts[x].Pos + 1));
        ranges.Reverse();
        return new DpPlan(ranges, best[^1]);
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
