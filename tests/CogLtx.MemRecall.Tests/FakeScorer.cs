using CogLtx.Text.Documents;

namespace CogLtx.MemRecall.Tests;

/// <summary>
/// A judge stand-in: every token of a block gets the score <c>score(call, block, input)</c>, so the block's mean is
/// exactly that value (query blocks are overridden to 1 by <see cref="BlockScores"/>). Records every call.
/// </summary>
internal sealed class FakeScorer(Func<int, Block, AssembledInput, float> score) : IBlockScorer
{
    public FakeScorer(IReadOnlyDictionary<Block, float> scores) : this((_, b, _) => scores.GetValueOrDefault(b, 0.5f)) { }

    public List<IReadOnlyList<AssembledInput>> Calls { get; } = [];

    public Action<int>? OnCall { get; init; }

    public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default)
    {
        var call = Calls.Count;
        Calls.Add(inputs);
        OnCall?.Invoke(call);
        return inputs.Select(input =>
        {
            var tokens = new float[input.Length];
            for (var i = 0; i < input.Blocks.Length; i++)
            {
                var span = input.BlockSpans[i];
                Array.Fill(tokens, score(call, input.Blocks[i], input), span.Start, span.Length);
            }
            return tokens;
        }).ToList();
    }
}

internal static class Blocks
{
    /// <summary>A block of <paramref name="length"/> tokens (content ids derived from the position, then separator 2).</summary>
    public static Block Make(long position, int length, BlockKind kind = BlockKind.Document) =>
        new([.. Enumerable.Repeat((int)(1000 + position), length - 1), 2], position, kind);

    public static Block Query(int length = 10) => Make(0, length, BlockKind.Query);

    /// <summary>Document blocks at positions 1..count, all of <paramref name="length"/> tokens.</summary>
    public static List<Block> Document(int count, int length) => [.. Enumerable.Range(1, count).Select(i => Make(i, length))];
}
