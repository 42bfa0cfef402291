namespace CogLtx.Data;

/// <summary>
/// Seeded generator for the synthetic tasks: xoshiro256** seeded through splitmix64, the algorithm of
/// <c>CogLtx.Tensors.Rng</c> (this project does not reference Tensors, so the data takes a seed, never the clock).
/// Same seed → same stream on every platform and runtime.
/// </summary>
internal sealed class DataRng
{
    private ulong s0, s1, s2, s3;

    public DataRng(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    public ulong NextULong()
    {
        var result = RotL(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = RotL(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift on the top 32 bits).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"n must be positive, got {n}");
        return (int)(((NextULong() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>Uniform integer in [low, high].</summary>
    public int NextInclusive(int low, int high) => low + NextInt(high - low + 1);

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><paramref name="count"/> distinct items in random order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        if (count > items.Count) throw new ArgumentException($"cannot draw {count} distinct items from {items.Count}");
        var copy = items.ToList();
        for (var i = 0; i < count; i++)
        {
            var j = i + NextInt(copy.Count - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.GetRange(0, count);
    }

    /// <summary>An independent stream derived from this one.</summary>
    public DataRng Fork() => new(NextULong());

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
