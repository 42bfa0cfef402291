using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// The encoder's inference path: what transformers <c>modeling_bert.py: BertEncoder</c> / <c>BertLayer</c> compute
/// in eval mode, on buffers that outlive the call. Per layer: the three projections are GEMMs into one
/// (B·T, 3H) buffer that starts as the biases; attention reads the heads out of it in place
/// (<see cref="Fused.Attention"/>); each output dense is a GEMM followed by one fused pass for bias, residual and
/// LayerNorm; the intermediate dense by one for bias and activation. Used only when no gradient can follow
/// (eval mode, and recording off or nothing requiring a gradient); the autograd ops stay the reference.
/// </summary>
internal sealed class BertInference
{
    private float[] qkv = [];
    private float[] context = [];
    private float[] attention = [];
    private float[] intermediate = [];
    private float[] ping = [];
    private float[] pong = [];

    /// <summary>True when the encoder may take this path: eval mode and no graph would be recorded.</summary>
    public static bool Applies(BertEncoder encoder, Tensor hidden)
    {
        if (encoder.Training) return false;
        if (!Autograd.IsEnabled) return true;
        if (hidden.RequiresGrad) return false;
        foreach (var p in encoder.Parameters())
            if (p.RequiresGrad) return false;
        return true;
    }

    /// <summary>(B, T, H) → (B, T, H) through every layer; the result is a new tensor that aliases no buffer of this object.</summary>
    public Tensor Run(IReadOnlyList<BertLayer> layers, Tensor hidden, AttentionInputs inputs, List<Tensor>? hiddenStates)
    {
        var (b, t, h) = (hidden.Dim(0), hidden.Dim(1), hidden.Dim(2));
        var rows = b * t;
        hiddenStates?.Add(hidden);
        if (layers.Count == 0) return hidden;
        var output = Tensor.Zeros(b, t, h);
        var current = hidden.Data.AsSpan(0, rows * h);
        for (var i = 0; i < layers.Count; i++)
        {
            var target = i == layers.Count - 1 ? output.Data : i % 2 == 0 ? Buffer(ref ping, rows * h) : Buffer(ref pong, rows * h);
            Layer(layers[i], current, target.AsSpan(0, rows * h), inputs, rows, h);
            current = target.AsSpan(0, rows * h);
            hiddenStates?.Add(i == layers.Count - 1 ? output : new Tensor(current.ToArray(), b, t, h));
        }
        return output;
    }

    private void Layer(BertLayer layer, ReadOnlySpan<float> input, Span<float> output, AttentionInputs inputs, int rows, int h)
    {
        var ctx = Buffer(ref context, rows * h).AsSpan(0, rows * h);
        SelfAttention(layer.Attention.Self, input, ctx, inputs, rows, h);

        var selfOut = layer.Attention.Output;
        var attn = Buffer(ref attention, rows * h).AsSpan(0, rows * h);
        Gemm.Sgemm(false, true, rows, h, h, 1f, ctx, h, selfOut.Dense.Weight.Data, h, 0f, attn, h);
        Fused.BiasResidualLayerNorm(attn, rows, BiasOf(selfOut.Dense), input, selfOut.LayerNorm.Weight.Data, selfOut.LayerNorm.Bias.Data, selfOut.LayerNorm.Eps);

        var dense = layer.Intermediate.Dense;
        var n = dense.Weight.Shape[0];
        var inter = Buffer(ref intermediate, rows * n).AsSpan(0, rows * n);
        Gemm.Sgemm(false, true, rows, n, h, 1f, attn, h, dense.Weight.Data, h, 0f, inter, n);
        Fused.BiasActivation(inter, rows, BiasOf(dense), ActivationOf(layer.Intermediate.HiddenAct));

        var outLayer = layer.Output;
        Gemm.Sgemm(false, true, rows, h, n, 1f, inter, n, outLayer.Dense.Weight.Data, n, 0f, output, h);
        Fused.BiasResidualLayerNorm(output, rows, BiasOf(outLayer.Dense), attn, outLayer.LayerNorm.Weight.Data, outLayer.LayerNorm.Bias.Data, outLayer.LayerNorm.Eps);
    }

    private void SelfAttention(SelfAttentionModule module, ReadOnlySpan<float> input, Span<float> ctx, AttentionInputs inputs, int rows, int h)
    {
        if (module is not BertSelfAttention self)
        {
            // Another attention (Longformer's sliding window) runs as its own module; the rest of the layer stays fused.
            var result = module.Forward(new Tensor(input.ToArray(), inputs.Batch, inputs.Length, h), inputs);
            result.Data.AsSpan(0, rows * h).CopyTo(ctx);
            return;
        }
        var packed = Buffer(ref qkv, rows * 3 * h).AsSpan(0, rows * 3 * h);
        Linear[] projections = [self.Query, self.Key, self.Value];
        for (var p = 0; p < 3; p++)
        {
            var cols = packed[(p * h)..];
            Fused.FillRows(cols, rows, 3 * h, BiasOf(projections[p]));
            Gemm.Sgemm(false, true, rows, h, h, 1f, input, h, projections[p].Weight.Data, h, projections[p].Bias is null ? 0f : 1f, cols, 3 * h);
        }
        Fused.Attention(packed, packed[h..], packed[(2 * h)..], 3 * h, inputs.Batch, inputs.Length, self.Heads, self.HeadSize,
            inputs.AttentionMask, 1f / MathF.Sqrt(self.HeadSize), ctx);
    }

    private static ReadOnlySpan<float> BiasOf(Linear linear) => linear.Bias is { } b ? b.Data : new float[linear.Weight.Shape[0]];

    private static FusedActivation ActivationOf(string name) => name switch
    {
        "gelu" => FusedActivation.Gelu,
        "relu" => FusedActivation.Relu,
        "tanh" => FusedActivation.Tanh,
        "gelu_new" or "gelu_pytorch_tanh" => FusedActivation.GeluTanh,
        _ => throw new ArgumentException($"unsupported hidden_act \"{name}\" (supported: {string.Join(", ", BertConfig.SupportedActivations)})", nameof(name)),
    };

    /// <summary>The buffer, grown to at least <paramref name="size"/> elements (never shrunk, so repeated calls reuse it).</summary>
    private static float[] Buffer(ref float[] buffer, int size)
    {
        if (buffer.Length < size) buffer = GC.AllocateUninitializedArray<float>(size);
        return buffer;
    }
}
