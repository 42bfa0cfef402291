namespace CogLtx.Tensors;

/// <summary>
/// Who attends to what in Longformer attention, with Hugging Face's mask values (modeling_longformer.py,
/// <c>LongformerModel.forward</c>: <c>attention_mask * (global_attention_mask + 1)</c>): per batch row and position
/// 0 = padding (never a key; its query row yields 0), 1 = local (sliding window), 2 = global (attends to every
/// position and is attended by every position). One mask serves every layer of a forward pass.
/// </summary>
public sealed class SlidingWindowMask
{
    /// <param name="kinds">(B, T) row-major values 0/1/2.</param>
    public SlidingWindowMask(int[] kinds, int batch, int length)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (batch <= 0 || length <= 0) throw new ArgumentException($"batch and length must be positive, got ({batch}, {length})");
        if (kinds.Length != batch * length)
            throw new ArgumentException($"sliding-window mask: expected {batch}×{length} = {batch * length} entries, found {kinds.Length}");
        Batch = batch;
        Length = length;
        Kinds = new byte[kinds.Length];
        Counts = new int[batch];
        for (var i = 0; i < kinds.Length; i++)
        {
            if ((uint)kinds[i] > 2) throw new ArgumentException($"sliding-window mask: entry (row {i / length}, position {i % length}) is {kinds[i]}, expected 0 (padding), 1 (local) or 2 (global)");
            Kinds[i] = (byte)kinds[i];
            if (kinds[i] == 2) Counts[i / length]++;
        }
        MaxGlobal = Counts.Max();
        // Global tokens in ascending position order, like torch's nonzero(): slot s of row b is its s-th global token.
        Globals = new int[batch * MaxGlobal];
        Array.Fill(Globals, -1);
        for (var b = 0; b < batch; b++)
            for (int t = 0, s = 0; t < length; t++)
                if (Kinds[b * length + t] == 2) Globals[b * MaxGlobal + s++] = t;
        // Positions that never sit in a band (padding and global), ascending per row: the kernels mask only these.
        NonLocalStart = new int[batch + 1];
        var nonLocal = new List<int>();
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < length; t++)
                if (Kinds[b * length + t] != 1) nonLocal.Add(t);
            NonLocalStart[b + 1] = nonLocal.Count;
        }
        NonLocal = nonLocal.ToArray();
    }

    /// <summary>HF's combination: kind = attention_mask · (global_attention_mask + 1); masks are (B, T) 0/1.</summary>
    public static SlidingWindowMask FromMasks(int[] attentionMask, int[]? globalAttentionMask, int batch, int length)
    {
        if (globalAttentionMask is not null && globalAttentionMask.Length != attentionMask.Length)
            throw new ArgumentException($"global_attention_mask has {globalAttentionMask.Length} entries, attention_mask has {attentionMask.Length}");
        var kinds = new int[attentionMask.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            var g = globalAttentionMask?[i] ?? 0;
            if ((uint)attentionMask[i] > 1 || (uint)g > 1)
                throw new ArgumentException($"masks must hold 0/1; entry (row {i / length}, position {i % length}) has attention {attentionMask[i]}, global {g}");
            kinds[i] = attentionMask[i] * (g + 1);
        }
        return new SlidingWindowMask(kinds, batch, length);
    }

    /// <summary>Rows B.</summary>
    public int Batch { get; }
    /// <summary>Sequence length T.</summary>
    public int Length { get; }

    /// <summary>Largest number of global tokens in any row (HF's max_num_global_attn_indices).</summary>
    public int MaxGlobal { get; }

    /// <summary>Kind of token t of row b: 0 padding, 1 local, 2 global.</summary>
    public int Kind(int b, int t) => Kinds[b * Length + t];
    /// <summary>Number of global tokens of row <paramref name="b"/>.</summary>
    public int GlobalCount(int b) => Counts[b];

    /// <summary>Position of row b's global token in slot s, or −1 for an unused slot.</summary>
    public int GlobalPosition(int b, int slot) => Globals[b * MaxGlobal + slot];

    internal byte[] Kinds { get; }
    internal int[] Counts { get; }
    internal int[] Globals { get; }
    internal int[] NonLocal { get; }
    internal int[] NonLocalStart { get; }

    /// <summary>Row b's padding and global positions in [lo, hi], ascending.</summary>
    internal ReadOnlySpan<int> NonLocalIn(int b, int lo, int hi)
    {
        var row = NonLocal.AsSpan(NonLocalStart[b], NonLocalStart[b + 1] - NonLocalStart[b]);
        var from = row.BinarySearch(lo);
        if (from < 0) from = ~from;
        var to = row.BinarySearch(hi + 1);
        if (to < 0) to = ~to;
        return row[from..to];
    }
}
