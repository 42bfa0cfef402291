using System.Collections;

namespace CogLtx.Text.Documents;

/// <summary>
/// An ordered list of blocks: working memory z, a training sample, or a retrieval-competition group (spec §2;
/// buffer.py <c>Buffer</c>). The order is whatever was built: <see cref="Insert"/> keeps it sorted by
/// (Kind, Position), <see cref="Add"/> appends as given (the reference's <c>blocks.append</c>, used by
/// <see cref="Fill"/>). A buffer may hold the same block twice (reference training samples of short documents do).
/// </summary>
public sealed class BlockBuffer : IReadOnlyList<Block>
{
    private readonly List<Block> blocks;

    /// <summary>An empty buffer.</summary>
    public BlockBuffer() => blocks = [];

    /// <summary>A buffer holding <paramref name="blocks"/> in the given order (not re-sorted).</summary>
    public BlockBuffer(IEnumerable<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        this.blocks = [.. blocks];
        TokenCount = this.blocks.Sum(b => b.Length);
    }

    /// <summary>A buffer built by sorted insertion of each block.</summary>
    public static BlockBuffer Sorted(IEnumerable<Block> blocks)
    {
        var buffer = new BlockBuffer();
        foreach (var b in blocks) buffer.Insert(b);
        return buffer;
    }

    /// <summary>Number of blocks.</summary>
    public int Count => blocks.Count;

    /// <summary>The block at <paramref name="index"/>.</summary>
    public Block this[int index] => blocks[index];

    /// <summary>Total tokens of all blocks (buffer.py <c>calc_size</c>).</summary>
    public int TokenCount { get; private set; }

    /// <summary>
    /// Sorted insert (buffer.py <c>Buffer.insert(b, reverse=True)</c>): scanning from the end, <paramref name="block"/>
    /// goes right after the last block that orders strictly before it (so before any block with an equal key).
    /// </summary>
    public void Insert(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var index = blocks.Count;
        while (index > 0 && Block.ReadingOrder.Compare(blocks[index - 1], block) >= 0) index--;
        blocks.Insert(index, block);
        TokenCount += block.Length;
    }

    /// <summary>Appends <paramref name="block"/> at the end, without sorting.</summary>
    public void Add(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        blocks.Add(block);
        TokenCount += block.Length;
    }

    /// <summary>Stable sort by (Kind, Position) (buffer.py <c>sort_</c>; Python's sort is stable too).</summary>
    public void Sort()
    {
        var sorted = blocks.Order(Block.ReadingOrder).ToList();
        blocks.Clear();
        blocks.AddRange(sorted);
    }

    /// <summary>A new buffer with the same blocks (the blocks themselves are shared, as in the reference).</summary>
    public BlockBuffer Clone() => new(blocks);

    /// <summary>Token index one past each block's end in the assembled input (buffer.py <c>block_ends</c>).</summary>
    public int[] BlockEnds()
    {
        var ends = new int[blocks.Count];
        var t = 0;
        for (var i = 0; i < blocks.Count; i++) ends[i] = t += blocks[i].Length;
        return ends;
    }

    /// <summary>
    /// Retrieval-competition groups (spec §2 <c>fill</c>; buffer.py <c>Buffer.fill</c>): cuts
    /// <paramref name="candidates"/>, in the given order, into consecutive runs so that this buffer plus a run fits in
    /// <paramref name="capacity"/> tokens; each group is a copy of this buffer followed by its run (not re-sorted), so
    /// group g's candidates are its blocks from index <see cref="Count"/> on.
    /// <para>
    /// Deliberate deviations, neither changing any score: no candidates give no groups (the reference returns one
    /// group holding only this buffer), and a group is never emitted without candidates (the reference emits one when
    /// the first candidate already overflows). A single candidate that cannot fit next to this buffer at all is an error
    /// (the reference fails later, in <c>export</c>).
    /// </para>
    /// </summary>
    public IReadOnlyList<BlockBuffer> Fill(IEnumerable<Block> candidates, int capacity)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var groups = new List<BlockBuffer>();
        BlockBuffer? current = null;
        foreach (var block in candidates)
        {
            if (TokenCount + block.Length > capacity)
                throw new InvalidOperationException(
                    $"block {block.Position} ({block.Length} tokens) cannot fit next to a buffer of {TokenCount} tokens within capacity {capacity}");
            if (current is not null && current.TokenCount + block.Length > capacity)
            {
                groups.Add(current);
                current = null;
            }
            current ??= Clone();
            current.Add(block);
        }
        if (current is not null) groups.Add(current);
        return groups;
    }

    /// <summary>z+ for this buffer: block ids concatenated in buffer order, attention mask 1, segment ids 0 (spec §2).</summary>
    public AssembledInput Assemble() => AssembledInput.From(blocks);

    /// <inheritdoc/>
    public IEnumerator<Block> GetEnumerator() => blocks.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Block and token counts.</summary>
    public override string ToString() => $"{Count} blocks, {TokenCount} tokens";
}
