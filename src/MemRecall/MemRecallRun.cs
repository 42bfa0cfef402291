using CogLtx.Text.Documents;

namespace CogLtx.MemRecall;

/// <summary>
/// One document's MemRecall (spec §3; memreplay.py <c>mem_replay</c>) as a sequence of judge requests, so that the
/// caller decides how the requests of one or many documents are batched into judge calls (<see cref="MemRecaller"/>).
/// Each step is <see cref="Compete"/> (the retrieval-competition inputs), <see cref="Fill"/> (their token scores in,
/// the rehearsal input of the filled z out) and <see cref="Rehearse"/> (its token scores in: return or decay), until
/// <see cref="Result"/> is set. The algorithm and its deliberate deviations are described on <see cref="MemRecaller"/>.
/// </summary>
internal sealed class MemRecallRun
{
    private readonly IReadOnlyList<Block> documentBlocks;
    private readonly CogLtxOptions options;
    private BlockBuffer z;
    private HashSet<Block> kept = new(ReferenceEqualityComparer.Instance);
    private readonly List<MemRecallStep> steps = [];
    private int scoredInputs;
    private int scoredTokens;
    private int k;

    // The current step, between Compete and Rehearse.
    private int keepCount;
    private bool[] fits = [];
    private IReadOnlyList<BlockBuffer> groups = [];
    private float[] coarse = [];
    private List<Block> entered = [];
    private List<Block> skipped = [];
    private Block? stoppedAt;

    // Token scores of the inputs scored so far (their blocks, in order): a judge input met again is not scored again.
    private readonly List<(AssembledInput Input, float[] Scores)> scored = [];

    public MemRecallRun(IReadOnlyList<Block> queryBlocks, IReadOnlyList<Block> documentBlocks, CogLtxOptions options)
    {
        ArgumentNullException.ThrowIfNull(queryBlocks);
        ArgumentNullException.ThrowIfNull(documentBlocks);
        this.documentBlocks = documentBlocks;
        this.options = options;
        z = BlockBuffer.Sorted(queryBlocks);
        if (z.TokenCount > options.Capacity)
            throw new ArgumentException($"the query blocks hold {z.TokenCount} tokens, more than the capacity {options.Capacity}", nameof(queryBlocks));
    }

    /// <summary>
    /// The token scores of an input with the same blocks in the same order that this run already had scored, or null.
    /// A judge is a function of its input, so they are the scores a new call would give (up to the last bits when
    /// that call batches other rows). Inputs repeat whenever everything fits: with all of D next to z, the one group,
    /// the rehearsal of z filled with all of D and the next step's group are the same input.
    /// </summary>
    public float[]? Recall(AssembledInput input)
    {
        foreach (var (known, scores) in scored)
            if (Same(known, input)) return scores;
        return null;
    }

    /// <summary>Remembers <paramref name="scores"/> as the token scores of <paramref name="input"/> (<see cref="Recall"/>).</summary>
    public void Remember(AssembledInput input, float[] scores)
    {
        scored.Add((input, scores));
        scoredInputs++;
        scoredTokens += input.Length;
    }

    // The same blocks (by reference) in the same order, and the same token ids and mask.
    private static bool Same(AssembledInput a, AssembledInput b)
    {
        if (a.Blocks.Length != b.Blocks.Length || !a.InputIds.AsSpan().SequenceEqual(b.InputIds.AsSpan()) || !a.AttentionMask.AsSpan().SequenceEqual(b.AttentionMask.AsSpan()))
            return false;
        for (var i = 0; i < a.Blocks.Length; i++)
            if (!ReferenceEquals(a.Blocks[i], b.Blocks[i])) return false;
        return true;
    }

    /// <summary>Set once the last step (or a step with |z| ≤ keep_n) has rehearsed.</summary>
    public MemRecallResult? Result { get; private set; }

    /// <summary>Retrieval competition of the next step: every document block that fits next to z, in groups z + a run of D.</summary>
    public IReadOnlyList<AssembledInput> Compete()
    {
        if (Result is not null) throw new InvalidOperationException("MemRecall has already returned");
        keepCount = z.Count + options.RecallSteps[k];
        var capacity = options.Capacity;
        fits = [.. documentBlocks.Select(b => z.TokenCount + b.Length <= capacity)];
        groups = z.Fill(documentBlocks.Where((_, i) => fits[i]), capacity);
        return [.. groups.Select(g => g.Assemble())];
    }

    /// <summary>
    /// Coarse scores from the token scores of <see cref="Compete"/>'s inputs (same order), then working memory filled by
    /// coarse score, stopping at the first block that overflows. Returns the rehearsal input: z after filling.
    /// </summary>
    public AssembledInput Fill(IReadOnlyList<AssembledInput> inputs, IReadOnlyList<float[]> tokenScores)
    {
        coarse = CoarseScores(inputs, tokenScores);
        entered = [];
        skipped = [];
        stoppedAt = null;
        var size = z.TokenCount;
        foreach (var index in Enumerable.Range(0, documentBlocks.Count).OrderByDescending(i => coarse[i]))
        {
            var block = documentBlocks[index];
            if (size + block.Length > options.Capacity)
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
        return z.Assemble();
    }

    /// <summary>Rehearsal: fine scores of <paramref name="input"/> (<see cref="Fill"/>'s answer); then return or decay.</summary>
    public void Rehearse(AssembledInput input, float[] tokenScores)
    {
        var fine = BlockScores.FromTokens(input, tokenScores);
        var rehearsed = z.ToList();
        var stride = options.RecallSteps[k];
        if (k == options.RecallSteps.Count - 1 || z.Count <= keepCount)
        {
            steps.Add(new MemRecallStep(k, stride, keepCount, groups.Count, coarse, entered, skipped, stoppedAt, rehearsed, fine, [], true));
            Result = new MemRecallResult(rehearsed, fine, steps, scoredInputs, scoredTokens);
            return;
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
        steps.Add(new MemRecallStep(k, stride, keepCount, groups.Count, coarse, entered, skipped, stoppedAt, rehearsed, fine, decayed, false));
        z = next;
        kept = new HashSet<Block>(z.Where(b => b.Kind == BlockKind.Document), ReferenceEqualityComparer.Instance);
        k++;
    }

    // Coarse score of each document block: its block score inside its group. A block that cannot sit next to z even
    // alone scores −∞ (so it is visited last, where it stops the filling).
    private float[] CoarseScores(IReadOnlyList<AssembledInput> inputs, IReadOnlyList<float[]> tokenScores)
    {
        var result = new float[fits.Length];
        var prefix = z.Count;
        var t = 0;
        for (var j = 0; j < inputs.Count; j++)
        {
            var scores = BlockScores.FromTokens(inputs[j], tokenScores[j]);
            for (var b = prefix; b < scores.Length; b++)
            {
                if (float.IsNaN(scores[b]))
                    throw new InvalidOperationException($"the scorer gave NaN token scores for document block {inputs[j].Blocks[b].Position}");
                while (t < fits.Length && !fits[t]) result[t++] = float.NegativeInfinity;
                result[t++] = scores[b];
            }
        }
        while (t < fits.Length && !fits[t]) result[t++] = float.NegativeInfinity;
        if (t != fits.Length) throw new InvalidOperationException($"retrieval competition scored {t} of {fits.Length} document blocks");
        return result;
    }
}
