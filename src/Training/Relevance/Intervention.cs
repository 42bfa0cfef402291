using CogLtx.Text.Documents;

namespace CogLtx.Training.Relevance;

/// <summary>
/// Per-sample losses of a batch of inputs, with the targets of the sample they were made from. Used for the
/// ablated copies of one training input; a reasoner answers one call with one forward.
/// </summary>
public delegate IReadOnlyList<float> LossFunction(IReadOnlyList<AssembledInput> inputs);

/// <summary>One ablated block: its loss change and the relevance it was given (null = buffer zone or bound reached).</summary>
public sealed record AblationResult(Block Block, int BlockIndex, float Delta, int OldRelevance, int? NewRelevance);

/// <summary>
/// Unsupervised relevance by intervention (spec §5.4; paper §3.3; reasoner_module.py <c>_intervention</c>). For every
/// non-crucial block b of a training input with loss ℓ, the input is re-run with b's attention-mask span zeroed, giving
/// ℓ₋b, and with Δ = ℓ₋b − ℓ:
/// Δ ≥ t_up (0.2) and relevance &lt; 2 → relevance + 1; else Δ ≤ t_down (−0.05) and relevance &gt; −1 → relevance − 1;
/// otherwise unchanged (the buffer zone). Crucial blocks (query, answer carriers) are never ablated nor changed.
/// New values go to a <see cref="RelevanceChanges"/> log, computed from the block's current (epoch-start) relevance, and
/// take effect only when the trainer applies the log after the epoch. The losses should come from the same model
/// state; the reference computes both with dropout on, spec §9.6 recommends eval mode for both.
/// </summary>
public sealed class Intervention
{
    private readonly CogLtxOptions options;

    /// <summary>Intervention with <paramref name="options"/> (default <see cref="CogLtxOptions.Default"/>).</summary>
    public Intervention(CogLtxOptions? options = null) => this.options = (options ?? CogLtxOptions.Default).Validate();

    /// <summary>Crucial blocks of span QA (spec §4): query blocks and blocks carrying the answer start or end.</summary>
    public static bool IsCrucialForQa(Block block) => block.Kind == BlockKind.Query || block.AnswerStart is not null || block.AnswerEnd is not null;

    /// <summary>Crucial blocks of classification (spec §4): query blocks.</summary>
    public static bool IsCrucialForClassification(Block block) => block.Kind == BlockKind.Query;

    /// <summary>
    /// Ablates every non-crucial block of <paramref name="input"/>, in chunks of
    /// <see cref="CogLtxOptions.InterventionChunkSize"/> copies per <paramref name="lossOf"/> call, and records the
    /// resulting relevance changes in <paramref name="changes"/>. An input without ablatable blocks is skipped (the
    /// reference crashes on it, spec §9.13) and gives an empty list.
    /// </summary>
    public IReadOnlyList<AblationResult> Evaluate(AssembledInput input, float loss, Func<Block, bool> isCrucial, LossFunction lossOf,
        RelevanceChanges changes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(isCrucial);
        ArgumentNullException.ThrowIfNull(lossOf);
        ArgumentNullException.ThrowIfNull(changes);
        var candidates = Enumerable.Range(0, input.Blocks.Length).Where(i => !isCrucial(input.Blocks[i])).ToList();
        if (candidates.Count == 0) return [];

        var results = new List<AblationResult>(candidates.Count);
        for (var first = 0; first < candidates.Count; first += options.InterventionChunkSize)
        {
            var chunk = candidates.Skip(first).Take(options.InterventionChunkSize).ToList();
            var losses = lossOf(chunk.Select(input.WithoutBlock).ToList());
            if (losses.Count != chunk.Count)
                throw new InvalidOperationException($"the loss function returned {losses.Count} losses for {chunk.Count} ablated inputs");
            for (var j = 0; j < chunk.Count; j++)
            {
                var block = input.Blocks[chunk[j]];
                var delta = losses[j] - loss;
                var next = Decide(block.Relevance, delta);
                if (next is { } value) changes.Record(block, value);
                results.Add(new AblationResult(block, chunk[j], delta, block.Relevance, next));
            }
        }
        return results;
    }

    /// <summary>The relabelling rule: the new relevance for a loss change <paramref name="delta"/>, or null to leave it.</summary>
    public int? Decide(int relevance, float delta)
    {
        if (delta >= options.LevelUpThreshold && relevance < options.MaxRelevance) return relevance + 1;
        if (delta <= options.LevelDownThreshold && relevance > options.MinRelevance) return relevance - 1;
        return null;
    }
}

/// <summary>
/// Relevance changes logged during a reasoner epoch (the reference's <c>changes_*.txt</c>, kept in memory). A block
/// written twice keeps the last value (both were computed from the same epoch-start relevance, so they never add up).
/// </summary>
public sealed class RelevanceChanges
{
    private readonly Dictionary<Block, int> pending = new(ReferenceEqualityComparer.Instance);

    /// <summary>Number of pending changes.</summary>
    public int Count => pending.Count;

    /// <summary>New relevance of each changed block.</summary>
    public IReadOnlyDictionary<Block, int> Pending => pending;

    /// <summary>Logs <paramref name="relevance"/> as <paramref name="block"/>'s new value (last write wins).</summary>
    public void Record(Block block, int relevance)
    {
        ArgumentNullException.ThrowIfNull(block);
        pending[block] = relevance;
    }

    /// <summary>Writes every logged value into its block and clears the log; returns how many relevances changed.</summary>
    public int Apply()
    {
        var changed = 0;
        foreach (var (block, relevance) in pending)
        {
            if (block.Relevance != relevance) changed++;
            block.Relevance = relevance;
        }
        pending.Clear();
        return changed;
    }

    /// <summary>Drops the log without applying it (epochs before <see cref="CogLtxOptions.FirstRelabelEpoch"/>).</summary>
    public void Clear() => pending.Clear();
}
