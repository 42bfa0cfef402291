using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>The <c>hidden_act</c> functions (transformers <c>activations.py</c>, <c>ACT2FN</c>).</summary>
public static class Activation
{
    /// <summary>Applies the activation named <paramref name="name"/> (validated by <see cref="BertConfig.Validate"/>).</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => Ops.Gelu(x),
        "relu" => Ops.Relu(x),
        "tanh" => Ops.Tanh(x),
        "gelu_new" or "gelu_pytorch_tanh" => GeluTanh(x),
        _ => throw new ArgumentException($"unsupported hidden_act \"{name}\" (supported: {string.Join(", ", BertConfig.SupportedActivations)})", nameof(name)),
    };

    /// <summary>
    /// tanh-approximate GELU (transformers <c>NewGELUActivation</c>): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    /// Composed from engine ops; it is rare in BERT-family checkpoints, so no fused kernel.
    /// </summary>
    public static Tensor GeluTanh(Tensor x)
    {
        var x3 = Ops.Mul(Ops.Mul(x, x), x);
        var inner = Ops.Scale(Ops.Add(x, Ops.Scale(x3, 0.044715f)), MathF.Sqrt(2f / MathF.PI));
        return Ops.Mul(Ops.Scale(x, 0.5f), Ops.AddScalar(Ops.Tanh(inner), 1f));
    }
}
