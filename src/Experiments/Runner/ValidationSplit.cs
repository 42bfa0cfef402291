using CogLtx.Tensors;
using CogLtx.Data;

namespace CogLtx.Experiments.Runner;

/// <summary>
/// The validation split of an experiment: a seeded random subset of the training examples, held out from training,
/// so that any choice made while training (which epoch to keep) never looks at the test split, which each method
/// is scored on once.
/// </summary>
public static class ValidationSplit
{
    /// <summary>
    /// Splits <paramref name="train"/> into the examples kept for training and <paramref name="count"/> held out,
    /// each part in its original order. The draw depends on the seed and the examples' count only; the seed is
    /// offset from the subset seed so that the held-out part is not the prefix of the subset draw.
    /// </summary>
    public static (IReadOnlyList<LongDocExample> Train, IReadOnlyList<LongDocExample> Validation) Carve(
        IReadOnlyList<LongDocExample> train, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (count == 0) return (train, []);
        if (count < 0 || count >= train.Count)
            throw new ArgumentException($"{count} validation examples leave none of the {train.Count} training examples to train on; it must be below {train.Count}");
        var indices = Enumerable.Range(0, train.Count).ToList();
        new Rng(seed ^ 0x76616C6964UL).Shuffle(indices);
        var held = indices.Take(count).ToHashSet();
        return ([.. train.Where((_, i) => !held.Contains(i))], [.. train.Where((_, i) => held.Contains(i))]);
    }
}
