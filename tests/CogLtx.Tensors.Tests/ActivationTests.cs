using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class ActivationTests
{
    /// <summary>erf in double: 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), a series of positive terms (no cancellation).</summary>
    private static double Erf(double x)
    {
        if (Math.Abs(x) > 6) return Math.Sign(x);
        double term = x, sum = x;
        for (var n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static double GeluExact(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    [Fact]
    public void ReferenceErf_KnownValues()
    {
        Assert.Equal(0.8427007929497149, Erf(1), 1e-14);
        Assert.Equal(0.9953222650189527, Erf(2), 1e-14);
        Assert.Equal(-0.5204998778130465, Erf(-0.5), 1e-14);
    }

    [Fact]
    public void Gelu_MatchesExactErfGelu_To1e6()
    {
        // Dense grid over [−10, 10] (both the Vector512 body and the scalar tail run).
        var n = 20_001;
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = -10f + 20f * i / (n - 1);
        var y = Ops.Gelu(new Tensor(x, n));
        var worst = 0.0;
        for (var i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(y.Data[i] - GeluExact(x[i])));
        Assert.True(worst < 1e-6, $"max |gelu − exact| = {worst}");
        // Values from torch.nn.functional.gelu (approximate='none').
        T.Close([-0.158655253931457f, 0f, 0.841344746068543f, 1.954499736103642f], Ops.Gelu(new Tensor([-1f, 0f, 1f, 2f], 4)).Data, 1e-7);
    }

    [Fact]
    public void Gelu_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Ops.Gelu(x[0]), [T.Param(1, 2f, 2, 3, 5)], eps: 1e-3f);

    [Fact]
    public void Gelu_Backward_MatchesAnalyticDerivative_OnVectorAndScalarPaths()
    {
        var x = T.Of(Enumerable.Range(0, 37).Select(i => -6f + i / 3f).ToArray(), 37);
        Ops.Sum(Ops.Gelu(x)).Backward();
        for (var i = 0; i < x.Size; i++)
        {
            double v = x.Data[i];
            var expected = 0.5 * (1 + Erf(v / Math.Sqrt(2))) + v * Math.Exp(-v * v / 2) / Math.Sqrt(2 * Math.PI);
            Assert.True(Math.Abs(x.Grad![i] - expected) < 2e-6, $"gelu'({v}) = {x.Grad[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Tanh_Sigmoid_Relu_Forward()
    {
        var x = new Tensor([-1f, 0f, 2f], 3);
        T.Close([-0.7615941559557649f, 0f, 0.9640275800758169f], Ops.Tanh(x).Data, 1e-7);
        T.Close([0.2689414213699951f, 0.5f, 0.8807970779778823f], Ops.Sigmoid(x).Data, 1e-7);
        Assert.Equal(new float[] { 0, 0, 2 }, Ops.Relu(x).Data);
    }

    [Fact]
    public void Tanh_Backward_MatchesFiniteDifferences() => GradCheck.Assert(x => Ops.Tanh(x[0]), [T.Param(2, 2, 3, 4)], eps: 1e-3f);

    [Fact]
    public void Sigmoid_Backward_MatchesFiniteDifferences() => GradCheck.Assert(x => Ops.Sigmoid(x[0]), [T.Param(3, 2, 3, 4)], eps: 1e-3f);

    [Fact]
    public void Relu_Backward_MatchesFiniteDifferences()
    {
        // Entries kept away from the kink at 0 so ±ε stays on one side.
        var x = T.Param(4, 2, 3, 4);
        for (var i = 0; i < x.Size; i++) x.Data[i] += x.Data[i] >= 0 ? 0.1f : -0.1f;
        GradCheck.Assert(t => Ops.Relu(t[0]), [x], eps: 1e-3f);
    }
}
