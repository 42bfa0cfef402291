using CogLtx.Tensors;

namespace CogLtx.Data;

/// <summary>Sampling helpers the synthetic generators need on top of <see cref="Rng"/>.</summary>
internal static class RngExtensions
{
    /// <summary>Uniform integer in [low, high].</summary>
    public static int NextInclusive(this Rng rng, int low, int high) => low + rng.NextInt(high - low + 1);

    public static T Pick<T>(this Rng rng, IReadOnlyList<T> items) => items[rng.NextInt(items.Count)];

    /// <summary><paramref name="count"/> distinct items in random order (partial Fisher–Yates).</summary>
    public static List<T> Sample<T>(this Rng rng, IReadOnlyList<T> items, int count)
    {
        if (count > items.Count) throw new ArgumentException($"cannot draw {count} distinct items from {items.Count}");
        var copy = items.ToList();
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.NextInt(copy.Count - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.GetRange(0, count);
    }
}
