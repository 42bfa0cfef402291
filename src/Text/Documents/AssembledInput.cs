using System.Collections.Immutable;

namespace CogLtx.Text.Documents;

/// <summary>
/// z+: the encoder input for a buffer (spec §2 "z+ layout"; buffer.py <c>Buffer.export</c>). Tokens are the block ids
/// concatenated in buffer order, so for a sorted buffer <c>&lt;s&gt; Q &lt;/s&gt; z0 &lt;/s&gt; z1 &lt;/s&gt; …</c>; the attention
/// mask is 1 on every real token; segment ids are all 0 (the reference comments out type 1 for documents).
/// "Removing" a block (interventions, spec §5.4) zeroes its mask span and keeps tokens and positions
/// (<see cref="WithoutBlock"/>). Padding (<see cref="PadTo"/>) appends masked tokens after the last block.
/// </summary>
public sealed class AssembledInput
{
    private AssembledInput(ImmutableArray<Block> blocks, ImmutableArray<TokenSpan> spans,
        ImmutableArray<int> inputIds, ImmutableArray<int> attentionMask)
    {
        Blocks = blocks;
        BlockSpans = spans;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = ImmutableArray.Create(new int[inputIds.Length]);
    }

    /// <summary>Assembles <paramref name="blocks"/> in the given order.</summary>
    public static AssembledInput From(IEnumerable<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var list = blocks.ToImmutableArray();
        var total = list.Sum(b => b.Length);
        var ids = new int[total];
        var spans = new TokenSpan[list.Length];
        var t = 0;
        for (var i = 0; i < list.Length; i++)
        {
            list[i].Ids.CopyTo(ids, t);
            spans[i] = new TokenSpan(t, t + list[i].Length);
            t += list[i].Length;
        }
        var mask = new int[total];
        Array.Fill(mask, 1);
        return new AssembledInput(list, [.. spans], [.. ids], [.. mask]);
    }

    /// <summary>The blocks, in input order (a block may appear twice).</summary>
    public ImmutableArray<Block> Blocks { get; }

    /// <summary>Token span of each block in the input, aligned with <see cref="Blocks"/>.</summary>
    public ImmutableArray<TokenSpan> BlockSpans { get; }

    /// <summary>Token ids, length <see cref="Length"/>.</summary>
    public ImmutableArray<int> InputIds { get; }

    /// <summary>1 on attended tokens, 0 on removed blocks and padding.</summary>
    public ImmutableArray<int> AttentionMask { get; }

    /// <summary>Segment ids: all 0 (spec §2).</summary>
    public ImmutableArray<int> TokenTypeIds { get; }

    /// <summary>Number of tokens, padding included.</summary>
    public int Length => InputIds.Length;

    /// <summary>Tokens covered by blocks (the length before padding).</summary>
    public int BlockTokenCount => BlockSpans.Length == 0 ? 0 : BlockSpans[^1].End;

    /// <summary>Token span of block <paramref name="blockIndex"/> in this input.</summary>
    public TokenSpan SpanOf(int blockIndex)
    {
        if ((uint)blockIndex >= (uint)BlockSpans.Length)
            throw new ArgumentOutOfRangeException(nameof(blockIndex), blockIndex, $"the input holds {BlockSpans.Length} blocks");
        return BlockSpans[blockIndex];
    }

    /// <summary>A copy with block <paramref name="blockIndex"/>'s attention-mask span zeroed (reasoner_module.py <c>_intervention</c>).</summary>
    public AssembledInput WithoutBlock(int blockIndex)
    {
        var span = SpanOf(blockIndex);
        var mask = AttentionMask.ToArray();
        Array.Clear(mask, span.Start, span.Length);
        return new AssembledInput(Blocks, BlockSpans, InputIds, [.. mask]);
    }

    /// <summary>
    /// A copy padded to <paramref name="length"/> tokens with <paramref name="padId"/> and mask 0. The reference pads
    /// training batches with id 0 (RoBERTa's <c>&lt;s&gt;</c>); spec §9.12 recommends the tokenizer's real pad id.
    /// </summary>
    public AssembledInput PadTo(int length, int padId)
    {
        if (length < Length) throw new ArgumentOutOfRangeException(nameof(length), length, $"cannot pad an input of {Length} tokens to fewer tokens");
        var ids = new int[length];
        var mask = new int[length];
        InputIds.CopyTo(ids);
        AttentionMask.CopyTo(mask);
        Array.Fill(ids, padId, Length, length - Length);
        return new AssembledInput(Blocks, BlockSpans, [.. ids], [.. mask]);
    }
}
