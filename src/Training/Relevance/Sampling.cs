using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Training.Relevance;

/// <summary>Random helpers shared by the sample builders, Python <c>random</c> semantics on a seeded <see cref="Rng"/>.</summary>
internal static class Sampling
{
    /// <summary>Python <c>random.sample(items, k)</c>: k distinct items in random order (partial Fisher–Yates).</summary>
    public static List<T> Sample<T>(IReadOnlyList<T> items, int k, Rng rng)
    {
        if (k < 0 || k > items.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"cannot sample {k} of {items.Count} items");
        var pool = items.ToList();
        for (var i = 0; i < k; i++)
        {
            var j = rng.NextInt(i, pool.Count);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        pool.RemoveRange(k, pool.Count - k);
        return pool;
    }

    /// <summary>buffer.py <c>Buffer.random_sample(size)</c>: k distinct items kept in their original order.</summary>
    public static List<T> SampleInOrder<T>(IReadOnlyList<T> items, int k, Rng rng)
    {
        var indices = Sample(Enumerable.Range(0, items.Count).ToList(), k, rng);
        indices.Sort();
        return indices.Select(i => items[i]).ToList();
    }

    /// <summary>A buffer of <paramref name="blocks"/> sorted by (Kind, Position), stable (buffer.py <c>sort_</c>).</summary>
    public static BlockBuffer SortedBuffer(IEnumerable<Block> blocks)
    {
        var buffer = new BlockBuffer(blocks);
        buffer.Sort();
        return buffer;
    }

    /// <summary>Relevant (relevance ≥ 1) and other document blocks, each in document order (buffer.py <c>filtered(..., need_residue=True)</c>).</summary>
    public static (List<Block> Positive, List<Block> Negative) SplitByRelevance(IEnumerable<Block> documentBlocks)
    {
        var positive = new List<Block>();
        var negative = new List<Block>();
        foreach (var b in documentBlocks) (b.IsRelevant ? positive : negative).Add(b);
        return (positive, negative);
    }

    /// <summary>
    /// Blocks per training buffer left after the query (8 − |Q| with the defaults); throws when the query leaves none.
    /// </summary>
    public static int BlocksAfterQuery(ExampleBlocks example, CogLtxOptions options)
    {
        var left = options.MaxBlocksPerBuffer - example.QueryBlocks.Count;
        if (left < 1)
            throw new ArgumentException(
                $"example {Describe(example)}: {example.QueryBlocks.Count} query blocks leave no room for document blocks in a training buffer of {options.MaxBlocksPerBuffer} blocks");
        return left;
    }

    public static string Describe(ExampleBlocks example)
    {
        var first = example.QueryBlocks.Concat(example.DocumentBlocks).FirstOrDefault();
        return first is null ? "(no blocks)" : first.ExampleId ?? $"starting at block {first.Position}";
    }
}
