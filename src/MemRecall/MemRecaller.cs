using CogLtx.Text.Documents;

namespace CogLtx.MemRecall;

/// <summary>
/// MemRecall (spec §3; paper §3.2; memreplay.py <c>mem_replay</c>): selects the key blocks z of a long document
/// for a query, with a judge (<see cref="IBlockScorer"/>), through several steps of retrieval competition, rehearsal
/// and decay over a working memory of <see cref="CogLtxOptions.Capacity"/> tokens.
/// <code>
/// z := copy of Q;  kept := {}
/// for step k with stride inc:
///     keep_n := |z| + inc
///     coarse[b] := mean token score of b inside its group, groups = z.Fill(D)   (D in order, z's own blocks included)
///     for b in D by coarse descending: stop at the first b with size(z) + |b| &gt; capacity; skip b in kept; insert b
///     fine := block scores of one pass over z   (query blocks 1)
///     if k is the last step or |z| ≤ keep_n: return (z, fine)
///     z := the keep_n blocks of z with the highest fine score, in z's order;  kept := document blocks of z
/// </code>
/// So with strides "3,5" step 1 keeps Q + 3 blocks and step 2 returns the filled buffer unpruned: the last stride is
/// never used (reproduced, spec §9.5). Deliberate deviations: the caller's query list is copied, not mutated as in the
/// reference; equal scores are ordered by index (stable sorts) where torch's argsort leaves the order unspecified; a
/// document block too long to sit next to z even alone (only possible with a long query or custom strides) takes no
/// part in the competition and gets coarse score −∞, where the reference crashes building an over-long input.
/// </summary>
public sealed class MemRecaller
{
    private readonly IBlockScorer scorer;
    private readonly CogLtxOptions options;

    /// <summary>MemRecall over the blocks' scores from <paramref name="scorer"/>, with <paramref name="options"/> (default <see cref="CogLtxOptions.Default"/>).</summary>
    public MemRecaller(IBlockScorer scorer, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        this.scorer = scorer;
        this.options = (options ?? CogLtxOptions.Default).Validate();
    }

    /// <summary>Runs MemRecall for <paramref name="queryBlocks"/> over <paramref name="documentBlocks"/> (reading order).</summary>
    public MemRecallResult Run(IReadOnlyList<Block> queryBlocks, IReadOnlyList<Block> documentBlocks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryBlocks);
        ArgumentNullException.ThrowIfNull(documentBlocks);
        var capacity = options.Capacity;
        var z = BlockBuffer.Sorted(queryBlocks);
        if (z.TokenCount > capacity)
            throw new ArgumentException($"the query blocks hold {z.TokenCount} tokens, more than the capacity {capacity}", nameof(queryBlocks));

        var kept = new HashSet<Block>(ReferenceEqualityComparer.Instance);
        var steps = new List<MemRecallStep>();
        var scoredInputs = 0;
        var strides = options.RecallSteps;
        for (var k = 0; k < strides.Count; k++)
        {
            var keepCount = z.Count + strides[k];

            // Retrieval competition: every document block scored next to the current z.
            var fits = documentBlocks.Select(b => z.TokenCount + b.Length <= capacity).ToArray();
            var groups = z.Fill(documentBlocks.Where((_, i) => fits[i]), capacity);
            var coarse = CoarseScores(z.Count, groups, fits, cancellationToken);
            scoredInputs += groups.Count;

            // Fill working memory by coarse score, stopping at the first block that overflows.
            var entered = new List<Block>();
            var skipped = new List<Block>();
            Block? stoppedAt = null;
            var size = z.TokenCount;
            foreach (var index in Enumerable.Range(0, documentBlocks.Count).OrderByDescending(i => coarse[i]))
            {
                var block = documentBlocks[index];
                if (size + block.Length > capacity)
                {
                    stoppedAt = block;
                    break;
                }
                if (kept.Contains(block))
                {
                    skipped.Add(block);
                    continue;
                }
                size += block.Length;
                z.Insert(block);
                entered.Add(block);
            }

            // Rehearsal: one judge pass over z.
            cancellationToken.ThrowIfCancellationRequested();
            var input = z.Assemble();
            var fine = BlockScores.FromTokens(input, Score([input], cancellationToken)[0]);
            scoredInputs++;
            var rehearsed = z.ToList();

            if (k == strides.Count - 1 || z.Count <= keepCount)
            {
                steps.Add(new MemRecallStep(k, strides[k], keepCount, groups.Count, coarse, entered, skipped, stoppedAt, rehearsed, fine, [], true));
                return new MemRecallResult(rehearsed, fine, steps, scoredInputs);
            }

            // Decay: keep the keep_n highest fine scores, in z's order.
            var survivors = Enumerable.Range(0, z.Count).OrderByDescending(i => fine[i]).Take(keepCount).ToHashSet();
            var next = new BlockBuffer();
            var decayed = new List<Block>();
            for (var i = 0; i < z.Count; i++)
            {
                if (survivors.Contains(i)) next.Add(z[i]);
                else decayed.Add(z[i]);
            }
            steps.Add(new MemRecallStep(k, strides[k], keepCount, groups.Count, coarse, entered, skipped, stoppedAt, rehearsed, fine, decayed, false));
            z = next;
            kept = new HashSet<Block>(z.Where(b => b.Kind == BlockKind.Document), ReferenceEqualityComparer.Instance);
        }
        throw new InvalidOperationException("unreachable: the last MemRecall step always returns");
    }

    // Coarse score of each document block: its block score inside its group, groups scored in batches. A block that
    // cannot sit next to z even alone scores −∞ (so it is visited last, where it stops the filling).
    private float[] CoarseScores(int prefix, IReadOnlyList<BlockBuffer> groups, bool[] fits, CancellationToken cancellationToken)
    {
        var coarse = new float[fits.Length];
        var t = 0;
        void Next(float score)
        {
            while (t < fits.Length && !fits[t]) coarse[t++] = float.NegativeInfinity;
            coarse[t++] = score;
        }
        for (var first = 0; first < groups.Count; first += options.InferenceBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inputs = groups.Skip(first).Take(options.InferenceBatchSize).Select(g => g.Assemble()).ToList();
            var tokenScores = Score(inputs, cancellationToken);
            for (var j = 0; j < inputs.Count; j++)
            {
                var scores = BlockScores.FromTokens(inputs[j], tokenScores[j]);
                for (var b = prefix; b < scores.Length; b++)
                {
                    if (float.IsNaN(scores[b]))
                        throw new InvalidOperationException($"the scorer gave NaN token scores for document block {inputs[j].Blocks[b].Position}");
                    Next(scores[b]);
                }
            }
        }
        while (t < fits.Length && !fits[t]) coarse[t++] = float.NegativeInfinity;
        if (t != fits.Length) throw new InvalidOperationException($"retrieval competition scored {t} of {fits.Length} document blocks");
        return coarse;
    }

    private IReadOnlyList<float[]> Score(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken)
    {
        var scores = scorer.ScoreTokens(inputs, cancellationToken);
        if (scores.Count != inputs.Count)
            throw new InvalidOperationException($"the scorer returned {scores.Count} score arrays for {inputs.Count} inputs");
        for (var i = 0; i < inputs.Count; i++)
            if (scores[i].Length < inputs[i].Length)
                throw new InvalidOperationException($"the scorer returned {scores[i].Length} token scores for input {i} of {inputs[i].Length} tokens");
        return scores;
    }
}
