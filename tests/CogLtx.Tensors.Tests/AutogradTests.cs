using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

public sealed class AutogradTests
{
    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = T.Param(1, 2, 3);
        Tensor y;
        using (Autograd.NoGrad()) y = Ops.Mul(Ops.Tanh(x), x);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.Node);
        Assert.True(Autograd.IsEnabled);
        Assert.Throws<InvalidOperationException>(() => Ops.Sum(y).Backward());
    }

    [Fact]
    public void Gradients_AccumulateAcrossUsesAndCalls()
    {
        // y = x·x + x → dy/dx = 2x + 1; two backward passes add up.
        var x = T.Of([3f], 1);
        Ops.Sum(Ops.Add(Ops.Mul(x, x), x)).Backward();
        Assert.Equal(7f, x.Grad![0]);
        Ops.Sum(Ops.Add(Ops.Mul(x, x), x)).Backward();
        Assert.Equal(14f, x.Grad![0]);
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Inputs_WithoutRequiresGrad_GetNoGradient()
    {
        var x = T.Param(1, 2, 2);
        var c = Tensor.Ones(2, 2);
        Ops.Sum(Ops.Mul(x, c)).Backward();
        Assert.NotNull(x.Grad);
        Assert.Null(c.Grad);
    }
}
