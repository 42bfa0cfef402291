using CogLtx.Text.Documents;

namespace CogLtx.MemRecall;

/// <summary>
/// What one MemRecall step did, so a user can see why a block was (not) selected.
/// </summary>
/// <param name="Step">0-based step index.</param>
/// <param name="Increment">This step's stride (<see cref="CogLtxOptions.RecallSteps"/>[Step]).</param>
/// <param name="KeepCount">keep_n = |z at step start| + Increment (query blocks counted).</param>
/// <param name="GroupCount">Retrieval-competition groups scored (each = z + a run of D).</param>
/// <param name="CoarseScores">Coarse score of every document block, aligned with the document list.</param>
/// <param name="Entered">Blocks inserted into z, in the order they entered (coarse score descending).</param>
/// <param name="SkippedKept">Blocks passed over because they were kept from the previous step.</param>
/// <param name="StoppedAt">The first block that did not fit: filling stopped there (null if every block was visited).</param>
/// <param name="Rehearsed">z after filling, sorted: the input of the rehearsal pass.</param>
/// <param name="FineScores">Rehearsal score of each block of <paramref name="Rehearsed"/> (query blocks 1).</param>
/// <param name="Decayed">Blocks dropped by decay (empty when this step returned).</param>
/// <param name="Returned">True when MemRecall returned after this step (last step, or |z| ≤ keep_n).</param>
public sealed record MemRecallStep(
    int Step,
    int Increment,
    int KeepCount,
    int GroupCount,
    IReadOnlyList<float> CoarseScores,
    IReadOnlyList<Block> Entered,
    IReadOnlyList<Block> SkippedKept,
    Block? StoppedAt,
    IReadOnlyList<Block> Rehearsed,
    IReadOnlyList<float> FineScores,
    IReadOnlyList<Block> Decayed,
    bool Returned);

/// <summary>
/// MemRecall's answer: the selected blocks z (sorted: query first, then reading order; ≤ capacity tokens), their fine
/// (rehearsal) scores, the per-step trace, and how many inputs the judge scored (an input met again in a later phase,
/// e.g. the rehearsal of a z filled with all of a short document, is recalled, not scored again) and how many tokens
/// those inputs held: the judge's share of CogLTX's inference cost, which a truncation baseline does not pay.
/// </summary>
public sealed record MemRecallResult(
    IReadOnlyList<Block> Blocks,
    IReadOnlyList<float> FineScores,
    IReadOnlyList<MemRecallStep> Steps,
    int ScoredInputs,
    int ScoredTokens)
{
    /// <summary>Total tokens of the selected blocks.</summary>
    public int TokenCount => Blocks.Sum(b => b.Length);
}
