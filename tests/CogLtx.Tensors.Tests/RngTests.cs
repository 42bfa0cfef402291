using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class RngTests
{
    [Fact]
    public void SameSeed_GivesSameNumbers()
    {
        var (a, b) = (new Rng(42), new Rng(42));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextULong(), b.NextULong());
            Assert.Equal(a.NextGaussian(), b.NextGaussian());
        }
        Assert.NotEqual(new Rng(1).NextULong(), new Rng(2).NextULong());
    }

    [Fact]
    public void State_RoundTrips()
    {
        var a = new Rng(7);
        a.NextULong();
        var b = new Rng(0) { State = a.State };
        Assert.Equal(a.NextFloat(), b.NextFloat());
    }

    [Fact]
    public void Restore_ReplaysTheDrawsAfterTheSnapshot_SpareGaussianIncluded()
    {
        // One Gaussian leaves its Box–Muller twin cached: State drops it, the snapshot keeps it.
        var a = new Rng(11);
        a.NextGaussian();
        var snapshot = a.Snapshot();
        var first = new[] { a.NextGaussian(), a.NextFloat(), a.NextGaussian() };
        Assert.NotEqual(snapshot, a.Snapshot());
        a.Restore(snapshot);
        Assert.Equal(snapshot, a.Snapshot());
        Assert.Equal(first, new[] { a.NextGaussian(), a.NextFloat(), a.NextGaussian() });

        var other = new Rng(99);
        other.Restore(snapshot);
        Assert.Equal(first[0], other.NextGaussian());
        a.Restore(snapshot);
        var viaState = new Rng(0) { State = a.State };
        Assert.NotEqual(first[0], viaState.NextGaussian());   // the cached twin is lost
    }

    [Fact]
    public void NextFloat_IsUniformOnUnitInterval()
    {
        var rng = new Rng(3);
        double sum = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var x = rng.NextFloat();
            Assert.InRange(x, 0f, 0.99999994f);
            sum += x;
        }
        Assert.InRange(sum / 100_000, 0.495, 0.505);
    }
}
