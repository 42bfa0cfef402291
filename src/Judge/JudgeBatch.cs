using CogLtx.Models;
using CogLtx.Text.Documents;

namespace CogLtx.Judge;

/// <summary>
/// A padded judge batch: encoder input (B, T), per-token labels (B, T) and the loss mask (B, T) (1 on attended
/// tokens). Rows are padded by <see cref="BatchPadding"/> (to the longest input of the batch unless a length is given)
/// with the model's real pad id (spec §9.12), mask 0: padded keys are masked in attention and excluded from the loss,
/// so the result equals padding to 512.
/// </summary>
public sealed record JudgeBatch(EncoderInput Input, float[] Labels, float[] LossMask, IReadOnlyList<AssembledInput> Rows)
{
    /// <summary>
    /// Assembles <paramref name="rows"/> (spec §4): token label 1 on every token (separator included) of a block with
    /// relevance ≥ 1, 0 elsewhere. Query tokens are labelled 1 when <paramref name="labelQueryTokens"/> (the default,
    /// [P] Eq. 4 and spec §9.9); false reproduces the reference, where a query's label follows its relevance (3 or 2 in
    /// NewsQA/HotpotQA, so 1; 0 in 20News). <paramref name="padTo"/> pads to that length instead of the longest row.
    /// </summary>
    public static JudgeBatch Create(IReadOnlyList<AssembledInput> rows, int padId, bool labelQueryTokens = true, int? padTo = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a judge batch needs at least one input", nameof(rows));
        var input = BatchPadding.Pad([.. rows.Select(r => new PaddingRow(r.InputIds.AsMemory(), r.AttentionMask.AsMemory()))], padId, padTo);
        var labels = new float[input.InputIds.Length];
        for (var b = 0; b < rows.Count; b++) TokenLabels(rows[b], labelQueryTokens).CopyTo(labels, b * input.Length);
        return new JudgeBatch(input, labels, [.. input.AttentionMask.Select(m => (float)m)], rows);
    }

    /// <summary>Per-token labels of one input (length <see cref="AssembledInput.Length"/>, padding 0).</summary>
    public static float[] TokenLabels(AssembledInput input, bool labelQueryTokens = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = new float[input.Length];
        for (var i = 0; i < input.Blocks.Length; i++)
        {
            var block = input.Blocks[i];
            var relevant = block.Kind == BlockKind.Query && labelQueryTokens || block.IsRelevant;
            if (!relevant) continue;
            var span = input.BlockSpans[i];
            Array.Fill(labels, 1f, span.Start, span.Length);
        }
        return labels;
    }
}
