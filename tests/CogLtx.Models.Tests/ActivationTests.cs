using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

public sealed class ActivationTests
{
    [Fact]
    public void GeluNew_MatchesTanhFormula_AndDiffersFromExactGelu()
    {
        // gelu_new(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), values computed in double:
        // x = 1 → 0.84119199, x = −2 → −0.04540231, x = 0.5 → 0.34571401; exact GELU gives 0.84134475, −0.04550026, 0.34573123.
        var x = new Tensor([1f, -2f, 0.5f], 3);
        var approx = Activation.Apply("gelu_new", x).Data;
        var exact = Activation.Apply("gelu", x).Data;
        Assert.Equal([0.84119199f, -0.04540231f, 0.34571401f], approx, (a, b) => MathF.Abs(a - b) < 1e-6f);
        Assert.Equal([0.84134475f, -0.04550026f, 0.34573123f], exact, (a, b) => MathF.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Apply_UnknownName_ListsSupported()
    {
        var e = Assert.Throws<ArgumentException>(() => Activation.Apply("swish", Tensor.Zeros(1)));
        Assert.Contains("unsupported hidden_act \"swish\"", e.Message);
        Assert.Contains("gelu", e.Message);
    }
}
