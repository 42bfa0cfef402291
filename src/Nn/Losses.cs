using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>How a per-element loss is reduced (torch's <c>reduction=</c>).</summary>
public enum Reduction
{
    /// <summary>Mean over the non-ignored entries (NaN when every entry is ignored, as torch).</summary>
    Mean,

    /// <summary>Sum over the entries (ignored ones count 0).</summary>
    Sum,

    /// <summary>One loss per entry.</summary>
    None,
}

/// <summary>
/// torch.nn.functional-style losses over the engine's loss ops, adding what the ops leave to the caller:
/// the reduction choice, logits of any rank ≥ 2 (leading dims flattened, as <c>logits.view(-1, C)</c>) and
/// I64 targets as stored in datasets and fixtures.
/// </summary>
public static class Losses
{
    /// <summary>
    /// F.cross_entropy(logits.view(-1, C), targets.view(-1), ignore_index, reduction): logits (…, C), targets (…)
    /// with one class index (or <paramref name="ignoreIndex"/>) per row. <see cref="Reduction.None"/> keeps the
    /// leading shape of the logits.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean, int ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank < 2) throw new ArgumentException($"CrossEntropy: logits must have a class axis, got shape {Shapes.Format(logits.Shape)}");
        var classes = logits.Shape[^1];
        var flat = logits.Rank == 2 ? logits : Ops.Reshape(logits, -1, classes);
        return reduction switch
        {
            Reduction.Mean => Ops.CrossEntropy(flat, targets, ignoreIndex),
            Reduction.Sum => Ops.Sum(Ops.CrossEntropyPerRow(flat, targets, ignoreIndex)),
            Reduction.None => logits.Rank == 2
                ? Ops.CrossEntropyPerRow(flat, targets, ignoreIndex)
                : Ops.Reshape(Ops.CrossEntropyPerRow(flat, targets, ignoreIndex), logits.Shape[..^1]),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
        };
    }

    /// <summary>As the int[] overload, with I64 targets (each must fit in an int).</summary>
    public static Tensor CrossEntropy(Tensor logits, long[] targets, Reduction reduction = Reduction.Mean, int ignoreIndex = -100) =>
        CrossEntropy(logits, ToInt32(targets), reduction, ignoreIndex);

    /// <summary>
    /// F.binary_cross_entropy_with_logits, mean over all entries; with <paramref name="mask"/> the masked mean
    /// Σ(loss·mask)/Σmask (the CogLTX judge loss over real tokens).
    /// </summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor targets, Tensor? mask = null) => Ops.BceWithLogits(logits, targets, mask);

    private static int[] ToInt32(long[] values)
    {
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = values[i] is >= int.MinValue and <= int.MaxValue
                ? (int)values[i]
                : throw new ArgumentOutOfRangeException(nameof(values), $"target {values[i]} at {i} does not fit in an int");
        return result;
    }
}
