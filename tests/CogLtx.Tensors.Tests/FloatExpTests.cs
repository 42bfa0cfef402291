using System.Runtime.Intrinsics;

namespace CogLtx.Tensors.Tests;

/// <summary><see cref="FloatExp"/> against double-precision e^x, and its edges.</summary>
public sealed class FloatExpTests
{
    private static float[] Exp(float[] x)
    {
        var y = new float[x.Length];
        for (var i = 0; i < x.Length; i += 16)
            FloatExp.Exp(Vector512.Create(x.AsSpan(i, 16))).CopyTo(y.AsSpan(i, 16));
        return y;
    }

    [Fact]
    public void WithinOneUlpOfTheDoublePrecisionResult_OverTheNormalRange()
    {
        // 1,048,576 points over [−87.3, 88.3], plus the softmax range [−20, 0] densely.
        var x = new float[1 << 20];
        for (var i = 0; i < x.Length; i++)
            x[i] = i % 2 == 0 ? -87.3f + 175.6f * i / x.Length : -20f * i / x.Length;
        var y = Exp(x);
        var worst = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var exact = Math.Exp(x[i]);
            var ulp = (double)MathF.BitIncrement((float)exact) - (float)exact;
            worst = Math.Max(worst, Math.Abs(y[i] - exact) / ulp);
        }
        Assert.True(worst <= 1.0, $"worst error {worst:F2} ulp");
    }

    [Fact]
    public void Edges_ZeroBelowTheRange_InfinityAbove_NaNKept_ExactAtZero()
    {
        float[] x = [0f, float.MinValue, float.NegativeInfinity, -87.4f, -1000f, 88.4f, 1000f, float.PositiveInfinity, float.NaN, 1f, -1f, 88.3f, -87.3f, 0.5f, -0.5f, 10f];
        var y = Exp(x);
        Assert.Equal(1f, y[0]);
        Assert.Equal([0f, 0f, 0f, 0f], y[1..5]);
        Assert.Equal([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], y[5..8]);
        Assert.True(float.IsNaN(y[8]));
        for (var i = 9; i < x.Length; i++)
            Assert.True(Math.Abs(y[i] - Math.Exp(x[i])) <= 2e-7 * Math.Exp(x[i]), $"e^{x[i]}: {y[i]} against {Math.Exp(x[i])}");
    }
}
