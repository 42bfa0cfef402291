using CogLtx.Tensors;

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

/// <summary>A BERT-family encoder (BERT, RoBERTa, Longformer): ids → last_hidden_state (B, T, H).</summary>
public interface IEncoder
{
    int HiddenSize { get; }

    /// <summary>Id the model uses for padding (BERT 0, RoBERTa 1).</summary>
    int PadTokenId { get; }

    /// <summary>Longest sequence the position table allows.</summary>
    int MaxLength { get; }

    /// <summary>last_hidden_state (B, T, H).</summary>
    Tensor Forward(EncoderInput input);
}
