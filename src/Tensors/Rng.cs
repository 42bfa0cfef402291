namespace CogLtx.Tensors;

/// <summary>
/// Seeded pseudo-random generator (xoshiro256** seeded through splitmix64). Every random draw in CogLtx
/// (initialisation, dropout, shuffling, sampling) goes through one of these; never the clock.
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;
    private float? spareGaussian;

    public Rng(ulong seed)
    {
        Seed = seed;
        var x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    public ulong Seed { get; }

    /// <summary>The full generator state, for checkpoints.</summary>
    public ulong[] State
    {
        get => [s0, s1, s2, s3];
        set
        {
            if (value.Length != 4) throw new ArgumentException("Rng state has 4 words");
            (s0, s1, s2, s3) = (value[0], value[1], value[2], value[3]);
            spareGaussian = null;
        }
    }

    public ulong NextULong()
    {
        var result = RotL(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = RotL(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with double precision.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        return (int)(((NextULong() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>Uniform integer in [low, high).</summary>
    public int NextInt(int low, int high) => low + NextInt(high - low);

    /// <summary>Standard normal (Box–Muller, the second value cached).</summary>
    public float NextGaussian()
    {
        if (spareGaussian is { } spare) { spareGaussian = null; return spare; }
        double u1, u2;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        u2 = NextDouble();
        var r = Math.Sqrt(-2 * Math.Log(u1));
        spareGaussian = (float)(r * Math.Sin(2 * Math.PI * u2));
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A new independent generator derived from this one (for a sub-task that needs its own stream).</summary>
    public Rng Fork() => new(NextULong());

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
