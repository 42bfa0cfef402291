namespace CogLtx.Models;

/// <summary>
/// One row of a batch before padding: its token ids and, when the row has its own, its attention mask (empty: 1 on
/// every id) and Longformer global-attention mask (empty: none). A given mask is as long as the ids.
/// </summary>
public readonly record struct PaddingRow(ReadOnlyMemory<int> Ids, ReadOnlyMemory<int> AttentionMask = default, ReadOnlyMemory<int> GlobalAttention = default);

/// <summary>
/// The one way rows of ids become an <see cref="EncoderInput"/>: each row is copied to the start of its (Batch, Length)
/// row, the rest is filled with the model's real pad id (spec §9.12) and attention mask 0, token types are 0, and a
/// global-attention mask is made when any row has one. Padded keys are masked in attention, so the outputs at real
/// tokens do not depend on how far a row is padded: padding to the batch's longest row (the default) gives the same
/// numbers as padding to a fixed length such as 512, with less work.
/// </summary>
public static class BatchPadding
{
    /// <summary>
    /// Pads <paramref name="rows"/> to the longest of them, or to <paramref name="length"/> when given (which must
    /// hold the longest row).
    /// </summary>
    public static EncoderInput Pad(IReadOnlyList<PaddingRow> rows, int padId, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a batch needs at least one row", nameof(rows));
        var longest = rows.Max(r => r.Ids.Length);
        var t = length ?? longest;
        if (t < longest) throw new ArgumentOutOfRangeException(nameof(length), t, $"cannot pad to {t} tokens: the longest row has {longest}");
        if (t < 1) throw new ArgumentException("every row is empty", nameof(rows));
        var b = rows.Count;
        var ids = new int[b * t];
        var mask = new int[b * t];
        int[]? global = null;
        Array.Fill(ids, padId);
        for (var r = 0; r < b; r++)
        {
            var row = rows[r];
            var o = r * t;
            row.Ids.Span.CopyTo(ids.AsSpan(o));
            if (row.AttentionMask.IsEmpty) Array.Fill(mask, 1, o, row.Ids.Length);
            else Copy(row.AttentionMask, row, r, "attention mask").CopyTo(mask.AsSpan(o));
            if (!row.GlobalAttention.IsEmpty)
            {
                global ??= new int[b * t];
                Copy(row.GlobalAttention, row, r, "global-attention mask").CopyTo(global.AsSpan(o));
            }
        }
        return new EncoderInput(ids, mask, b, t, new int[b * t], global);
    }

    private static ReadOnlySpan<int> Copy(ReadOnlyMemory<int> values, PaddingRow row, int index, string what) =>
        values.Length == row.Ids.Length ? values.Span
        : throw new ArgumentException($"row {index}: its {what} has {values.Length} entries, its ids {row.Ids.Length}");
}
