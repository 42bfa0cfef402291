using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Training.Relevance;

/// <summary>
/// Reasoner training samples for one epoch (spec §5.3; data_helper.py <c>build_promising_buffer</c>; paper
/// Algorithm 1 lines 12–15): the query, the relevant blocks P, and negatives N chosen two ways: n2 "promising"
/// samples (highest cached judge score, so training inputs look like MemRecall's test-time selection) and n3 "random"
/// samples. Two modes (<see cref="CogLtxOptions.ReasonerSampling"/>):
/// <list type="bullet">
/// <item><see cref="ReasonerSamplingMode.TokenFilled"/> (default, spec §9.2–9.4): negatives ranked by float
/// <see cref="Block.Estimation"/>; each input filled by tokens up to the capacity, stopping at the first block that
/// does not fit (as MemRecall fills); no block twice in one input; later promising samples continue down the ranking
/// and are omitted once it is exhausted.</item>
/// <item><see cref="ReasonerSamplingMode.Reference"/>: the released code, 8-block cap, integer-cast ranking and
/// repeated negatives (<see cref="ForExampleReference"/>).</item>
/// </list>
/// Every sample is sorted by (Kind, Position).
/// </summary>
public static class ReasonerSamples
{
    /// <summary>Samples of every example, in dataset order (the trainer shuffles).</summary>
    public static List<BlockBuffer> Build(IEnumerable<ExampleBlocks> examples, Rng rng, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var result = new List<BlockBuffer>();
        foreach (var example in examples) result.AddRange(ForExample(example, rng, options));
        return result;
    }

    /// <summary>The n2 promising then n3 random samples of one example, in the configured mode.</summary>
    public static List<BlockBuffer> ForExample(ExampleBlocks example, Rng rng, CogLtxOptions? options = null)
    {
        options = (options ?? CogLtxOptions.Default).Validate();
        return options.ReasonerSampling == ReasonerSamplingMode.Reference
            ? ForExampleReference(example, rng, options)
            : ForExampleTokenFilled(example, rng, options);
    }

    /// <summary>
    /// data_helper.py as released. If |P| ≥ 8 − |Q|, P becomes a random subset (document order) of 8 − |Q| − 1
    /// blocks, leaving room for one negative (the answer block may be dropped). lb = 8 − |Q| − |P|.
    /// Promising: estimations are cast to integers before ranking (the reference's <c>dtype=torch.long</c> bug), so
    /// every score in (0, 1) ranks as 0 and, with ties taken in document order here (torch's argsort leaves them
    /// unspecified), the first n2·lb negatives are chosen; fewer than n2·lb are repeated until there are enough, so a
    /// short document puts the same block twice into one input. Random: min(|N|, lb) random negatives.
    /// </summary>
    public static List<BlockBuffer> ForExampleReference(ExampleBlocks example, Rng rng, CogLtxOptions options)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(rng);
        var q = example.QueryBlocks;
        var maxBlocks = options.MaxBlocksPerBuffer;
        Sampling.BlocksAfterQuery(example, options);
        var (positive, negative) = Sampling.SplitByRelevance(example.DocumentBlocks);
        if (positive.Count >= maxBlocks - q.Count) positive = Sampling.SampleInOrder(positive, maxBlocks - q.Count - 1, rng);
        var lb = maxBlocks - q.Count - positive.Count;

        var n2 = options.PromisingSamples;
        var wanted = n2 * lb;
        var top = Enumerable.Range(0, negative.Count).OrderByDescending(i => (long)negative[i].Estimation).Take(wanted).ToHashSet();
        var selected = negative.Where((_, i) => top.Contains(i)).ToList();
        while (selected.Count > 0 && selected.Count < wanted)
        {
            var copies = wanted / selected.Count + 1;
            selected = Enumerable.Repeat(selected, copies).SelectMany(s => s).ToList();
        }

        var samples = new List<BlockBuffer>();
        for (var i = 0; i < n2; i++)
            samples.Add(Sampling.SortedBuffer(q.Concat(positive).Concat(selected.Skip(i * lb).Take(lb))));
        for (var i = 0; i < options.RandomSamples; i++)
            samples.Add(Sampling.SortedBuffer(q.Concat(positive).Concat(Sampling.Sample(negative, Math.Min(negative.Count, lb), rng))));
        return samples;
    }

    /// <summary>
    /// The §9 fixes. Budget = capacity − tokens(Q). Relevant blocks all go in when they leave room for one more
    /// block (BlockSize + 1 tokens) or there are no negatives; otherwise a random subset of them, taken in random order
    /// while it fits in the budget minus that room (the token analogue of the reference's "8 − |Q| − 1").
    /// Promising sample i takes negatives down the ranking by cached score (ties in document order) from where
    /// sample i − 1 stopped, while they fit; random samples take shuffled negatives while they fit.
    /// </summary>
    public static List<BlockBuffer> ForExampleTokenFilled(ExampleBlocks example, Rng rng, CogLtxOptions options)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(rng);
        var q = example.QueryBlocks;
        var budget = options.Capacity - q.Sum(b => b.Length);
        var distinct = example.DocumentBlocks.Distinct(ReferenceEqualityComparer.Instance).Cast<Block>();
        var (positive, negative) = Sampling.SplitByRelevance(distinct);
        if (budget < 0)
            throw new ArgumentException($"example {Sampling.Describe(example)}: the query blocks exceed the capacity of {options.Capacity} tokens");

        var room = negative.Count > 0 ? options.BlockSize + 1 : 0;
        if (positive.Sum(b => b.Length) > budget - room)
            positive = TakeWhileFits(Sampling.Sample(positive, positive.Count, rng), budget - room, skipOverflow: true);
        var left = budget - positive.Sum(b => b.Length);

        var samples = new List<BlockBuffer>();
        var ranked = Enumerable.Range(0, negative.Count).OrderByDescending(i => negative[i].Estimation).Select(i => negative[i]).ToList();
        var cursor = 0;
        for (var i = 0; i < options.PromisingSamples; i++)
        {
            var chosen = TakeWhileFits(ranked.Skip(cursor), left, skipOverflow: false);
            if (chosen.Count == 0 && i > 0) break;
            cursor += chosen.Count;
            samples.Add(Sampling.SortedBuffer(q.Concat(positive).Concat(chosen)));
        }
        for (var i = 0; i < options.RandomSamples; i++)
        {
            var chosen = TakeWhileFits(Sampling.Sample(negative, negative.Count, rng), left, skipOverflow: false);
            samples.Add(Sampling.SortedBuffer(q.Concat(positive).Concat(chosen)));
        }
        return samples;
    }

    // Blocks in the given order while their total stays within budget; past an overflowing block either skip it and
    // go on, or stop there (MemRecall's rule).
    private static List<Block> TakeWhileFits(IEnumerable<Block> blocks, int budget, bool skipOverflow)
    {
        var taken = new List<Block>();
        var size = 0;
        foreach (var b in blocks)
        {
            if (size + b.Length > budget)
            {
                if (skipOverflow) continue;
                break;
            }
            taken.Add(b);
            size += b.Length;
        }
        return taken;
    }
}
