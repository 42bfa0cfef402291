using CogLtx.Text.Documents;

namespace CogLtx.MemRecall;

/// <summary>
/// The judge as MemRecall sees it (spec §3, §4): per-token relevance scores in (0, 1) (sigmoid of the judge's token
/// logits) for a batch of assembled inputs. MemRecall calls it with at most
/// <see cref="CogLtxOptions.InferenceBatchSize"/> unpadded inputs of at most <see cref="CogLtxOptions.Capacity"/>
/// tokens each, so a judge answers one call with one batched forward (padding to the batch's longest input or to
/// 512, mask 0 on padding). Each input's <see cref="AssembledInput.Blocks"/> say which blocks it holds.
/// </summary>
public interface IBlockScorer
{
    /// <summary>One array per input, of length <see cref="AssembledInput.Length"/>: the sigmoid score of every token.</summary>
    IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default);
}

/// <summary>Block scores from token scores (memreplay.py <c>_score_blocks</c>).</summary>
public static class BlockScores
{
    /// <summary>
    /// Score of each block of <paramref name="input"/>: the mean token score over the block's span, separator included;
    /// query blocks score 1.0 without looking at the judge. Deliberate deviation (spec §9.13): the reference reads
    /// block 0's span as <c>ends[-1]:ends[0]</c> (Python's negative index), which is empty, giving NaN, whenever the
    /// input does not start with a query block; here block 0 starts at token 0.
    /// </summary>
    public static float[] FromTokens(AssembledInput input, IReadOnlyList<float> tokenScores)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(tokenScores);
        if (tokenScores.Count < input.BlockTokenCount)
            throw new ArgumentException($"scorer returned {tokenScores.Count} token scores for an input of {input.BlockTokenCount} block tokens", nameof(tokenScores));
        var scores = new float[input.Blocks.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            if (input.Blocks[i].Kind == BlockKind.Query)
            {
                scores[i] = 1f;
                continue;
            }
            var span = input.BlockSpans[i];
            var sum = 0.0;
            for (var t = span.Start; t < span.End; t++) sum += tokenScores[t];
            scores[i] = (float)(sum / span.Length);
        }
        return scores;
    }
}
