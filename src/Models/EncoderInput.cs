namespace CogLtx.Models;

/// <summary>
/// A batch for an encoder: ids and masks are row-major (Batch, Length). Masks hold 0/1.
/// <see cref="GlobalAttentionMask"/> is read by Longformer only (1 = global attention).
/// </summary>
public sealed record EncoderInput(int[] InputIds, int[] AttentionMask, int Batch, int Length, int[]? TokenTypeIds = null, int[]? GlobalAttentionMask = null)
{
    /// <summary>One unpadded sequence.</summary>
    public static EncoderInput Single(int[] ids) => new(ids, Enumerable.Repeat(1, ids.Length).ToArray(), 1, ids.Length);
}
