using CogLtx.Models;

namespace CogLtx.Training.Pretraining;

/// <summary>
/// A batch of masked sequences as the model takes it: the encoder input (B, T), the flattened positions b·T + t that
/// carry a label, and those labels (the original ids) in the same order.
/// </summary>
public sealed record MlmBatch(EncoderInput Input, int[] Positions, int[] Labels)
{
    /// <summary>Pads the masked sequences of a micro-batch into ids, attention mask, labels and the flat positions that carry a label.</summary>
    public static MlmBatch Build(IReadOnlyList<PackedSequence> sequences, IReadOnlyList<MaskedSequence> masked)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(masked);
        if (sequences.Count == 0 || sequences.Count != masked.Count)
            throw new ArgumentException($"{sequences.Count} sequences, {masked.Count} masks: expected the same positive number");
        var length = sequences[0].Ids.Length;
        var ids = new int[sequences.Count * length];
        var attention = new int[ids.Length];
        var positions = new List<int>();
        var labels = new List<int>();
        for (var b = 0; b < sequences.Count; b++)
        {
            if (sequences[b].Ids.Length != length) throw new ArgumentException($"sequence {b} has {sequences[b].Ids.Length} tokens, sequence 0 has {length}");
            masked[b].InputIds.CopyTo(ids, b * length);
            sequences[b].AttentionMask.CopyTo(attention, b * length);
            for (var t = 0; t < length; t++)
            {
                if (masked[b].Labels[t] == MlmMasker.Ignore) continue;
                positions.Add(b * length + t);
                labels.Add(masked[b].Labels[t]);
            }
        }
        return new MlmBatch(new EncoderInput(ids, attention, sequences.Count, length), [.. positions], [.. labels]);
    }
}
