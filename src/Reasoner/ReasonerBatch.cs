using CogLtx.Models;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner;

/// <summary>
/// A padded reasoner batch: encoder input (B, T), the targets of each row and the number of real (block) tokens
/// per row. Rows are padded to the longest row with the model's real pad id (spec §9.12), attention mask 0.
/// </summary>
public sealed record ReasonerBatch(EncoderInput Input, ReasonerTask Task, int[] StartTargets, int[] EndTargets, int[] Labels,
    int[] RealLengths, IReadOnlyList<AssembledInput> Rows)
{
    /// <summary>
    /// Builds a batch and its targets (<see cref="ReasonerTargets"/>). For inference, <paramref name="requireTargets"/>
    /// false lets classification inputs come without a label (their target is then 0 and meaningless).
    /// </summary>
    public static ReasonerBatch Create(IReadOnlyList<AssembledInput> rows, ReasonerTask task, int padId, bool requireTargets = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a reasoner batch needs at least one input", nameof(rows));
        var batch = rows.Count;
        var length = rows.Max(r => r.Length);
        var ids = new int[batch * length];
        var mask = new int[batch * length];
        var starts = new int[batch];
        var ends = new int[batch];
        var labels = new int[batch];
        var real = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            var row = rows[b];
            var o = b * length;
            Array.Fill(ids, padId, o, length);
            row.InputIds.CopyTo(ids.AsSpan(o));
            row.AttentionMask.CopyTo(mask.AsSpan(o));
            real[b] = row.BlockTokenCount;
            if (task == ReasonerTask.SpanQa) (starts[b], ends[b]) = ReasonerTargets.Span(row);
            else if (requireTargets || row.Blocks.Any(k => k.Kind == BlockKind.Query && k.Label is not null)) labels[b] = ReasonerTargets.Label(row);
        }
        return new ReasonerBatch(new EncoderInput(ids, mask, batch, length, new int[batch * length]), task, starts, ends, labels, real, rows);
    }
}
