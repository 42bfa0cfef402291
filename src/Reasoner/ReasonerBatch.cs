using CogLtx.Models;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner;

/// <summary>
/// A padded reasoner batch: encoder input (B, T), the targets of each row and the number of real (block) tokens
/// per row. Rows are padded by <see cref="BatchPadding"/> (to the longest row unless a length is given) with the
/// model's real pad id (spec §9.12), attention mask 0.
/// </summary>
public sealed record ReasonerBatch(EncoderInput Input, ReasonerTask Task, int[] StartTargets, int[] EndTargets, int[] Labels,
    int[] RealLengths, IReadOnlyList<AssembledInput> Rows)
{
    /// <summary>
    /// Builds a batch and its targets (<see cref="ReasonerTargets"/>). For inference, <paramref name="requireTargets"/>
    /// false lets classification inputs come without a label (their target is then 0 and meaningless).
    /// <paramref name="padTo"/> pads to that length instead of the longest row.
    /// </summary>
    public static ReasonerBatch Create(IReadOnlyList<AssembledInput> rows, ReasonerTask task, int padId, bool requireTargets = true, int? padTo = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a reasoner batch needs at least one input", nameof(rows));
        var batch = rows.Count;
        var input = BatchPadding.Pad([.. rows.Select(r => new PaddingRow(r.InputIds.AsMemory(), r.AttentionMask.AsMemory()))], padId, padTo);
        var starts = new int[batch];
        var ends = new int[batch];
        var labels = new int[batch];
        var real = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            var row = rows[b];
            real[b] = row.BlockTokenCount;
            if (task == ReasonerTask.SpanQa) (starts[b], ends[b]) = ReasonerTargets.Span(row);
            else if (requireTargets || row.Blocks.Any(k => k.Kind == BlockKind.Query && k.Label is not null)) labels[b] = ReasonerTargets.Label(row);
        }
        return new ReasonerBatch(input, task, starts, ends, labels, real, rows);
    }
}
