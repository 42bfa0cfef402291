using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class DropoutTests
{
    [Fact]
    public void Dropout_KeptEntriesScaled_RateNearP_Deterministic()
    {
        var x = Tensor.Ones(10_000);
        var y = Ops.Dropout(x, 0.25f, new Rng(5), training: true);
        var zeros = y.Data.Count(v => v == 0);
        Assert.All(y.Data, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75f) < 1e-6));
        Assert.InRange(zeros, 2300, 2700);
        Assert.Equal(y.Data, Ops.Dropout(x, 0.25f, new Rng(5), training: true).Data);
    }

    [Fact]
    public void Dropout_Eval_IsIdentity()
    {
        var x = T.Param(1, 3, 4);
        Assert.Same(x, Ops.Dropout(x, 0.5f, new Rng(1), training: false));
        Assert.Same(x, Ops.Dropout(x, 0f, new Rng(1), training: true));
    }

    [Fact]
    public void Dropout_Backward_MatchesFiniteDifferences() =>
        // A fresh Rng with the same seed per call: every evaluation drops the same entries.
        GradCheck.Assert(x => Ops.Dropout(x[0], 0.4f, new Rng(9), true), [T.Param(2, 2, 3, 4)]);
}
