namespace CogLtx.Tensors;

/// <summary>
/// Seeded pseudo-random generator (xoshiro256** seeded through splitmix64). Every random draw in CogLtx
/// (initialisation, dropout, shuffling, sampling) goes through one of these; never the clock.
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;
    private float? spareGaussian;

    /// <summary>A generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        Seed = seed;
        var x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    /// <summary>The seed it was made with.</summary>
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

    /// <summary>
    /// Everything the next draws depend on (the four state words and a cached Gaussian), so that
    /// <see cref="Restore"/> makes the generator draw again exactly what it drew after this call: used to replay
    /// dropout masks when a forward pass is recomputed (gradient checkpointing). Unlike <see cref="State"/>, which
    /// checkpoints persist, it keeps the spare Gaussian.
    /// </summary>
    public RngSnapshot Snapshot() => new(s0, s1, s2, s3, spareGaussian);

    /// <summary>Puts the generator back where <see cref="Snapshot"/> found it (of this or any generator).</summary>
    public void Restore(RngSnapshot snapshot)
    {
        (s0, s1, s2, s3) = (snapshot.S0, snapshot.S1, snapshot.S2, snapshot.S3);
        spareGaussian = snapshot.SpareGaussian;
    }

    /// <summary>The next 64 random bits.</summary>
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

/// <summary>A generator's full state as <see cref="Rng.Snapshot"/> takes it; equal snapshots draw the same numbers.</summary>
public readonly record struct RngSnapshot
{
    internal RngSnapshot(ulong s0, ulong s1, ulong s2, ulong s3, float? spareGaussian) =>
        (S0, S1, S2, S3, SpareGaussian) = (s0, s1, s2, s3, spareGaussian);

    internal ulong S0 { get; }

    internal ulong S1 { get; }

    internal ulong S2 { get; }

    internal ulong S3 { get; }

    internal float? SpareGaussian { get; }
}
