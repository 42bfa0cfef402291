using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

/// <summary><see cref="Module.Inference"/>: no graph, the same numbers as a plain no-grad call, arrays reused, tensors ended with the scope.</summary>
public sealed class ModuleInferenceTests
{
    [Fact]
    public void InferenceCalls_RecordNothing_MatchPlainNoGrad_AndEndTheirTensors()
    {
        var linear = new Linear(VarBuilder.Fresh(new Rng(3)), 8, 6);
        linear.Eval();
        var x = Tensor.Randn(new Rng(4), 1f, 5, 8);
        float[] expected;
        using (Autograd.NoGrad()) expected = Ops.Gelu(linear.Forward(x)).Data.ToArray();

        Tensor first;
        float[] firstArray;
        using (linear.Inference())
        {
            first = Ops.Gelu(linear.Forward(x));
            Assert.False(first.RequiresGrad);
            Assert.Equal(expected, first.Data);
            firstArray = first.Data;
        }
        Assert.Contains("BufferScope", Assert.Throws<InvalidOperationException>(() => first.Data).Message);

        // The next call of the same shapes takes the first call's arrays (the output is the last one made, so the
        // first one handed out again by the pool's stack of that length is not guaranteed: look for it among both).
        using (linear.Inference())
        {
            var hidden = linear.Forward(x);
            var second = Ops.Gelu(hidden);
            Assert.Equal(expected, second.Data);
            Assert.True(ReferenceEquals(firstArray, second.Data) || ReferenceEquals(firstArray, hidden.Data), "a second call should reuse the first call's storage");
        }
        Assert.Null(linear.Weight.Grad);
        Assert.True(Autograd.IsEnabled);
    }
}
