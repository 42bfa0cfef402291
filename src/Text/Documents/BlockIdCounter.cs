namespace CogLtx.Text.Documents;

/// <summary>
/// The one position counter that runs over a whole dataset (spec §1 "Block ids"; buffer.py
/// <c>split_document_into_blocks(..., cnt)</c>): query blocks, then document blocks, sample after sample; each new
/// block gets <c>pos = ++counter</c>, so positions are globally unique, increase in reading order, and serve both as
/// the sort key and as the key for relevance/estimation updates.
/// </summary>
public sealed class BlockIdCounter
{
    /// <summary>Starts so that the next position is <paramref name="last"/> + 1 (the reference starts at 0, giving 1 first).</summary>
    public BlockIdCounter(long last = 0)
    {
        if (last < 0) throw new ArgumentOutOfRangeException(nameof(last), last, "a block position counter starts at 0 or above");
        Last = last;
    }

    /// <summary>The last position handed out (0 if none).</summary>
    public long Last { get; private set; }

    /// <summary>The next position: <c>++counter</c>.</summary>
    public long Next() => ++Last;
}
