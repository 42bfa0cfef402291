using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// One worker of <see cref="BertInference"/>: runs every layer over a run of whole sequences of the batch on its own
/// buffers, which outlive the call. Per layer (transformers <c>modeling_bert.py: BertLayer</c> in eval mode): the
/// three projections are GEMMs into one (rows, 3H) buffer that starts as the biases; attention reads the heads out
/// of it in place (<see cref="Fused.Attention"/>); each output dense is a GEMM followed by one fused pass for bias,
/// residual and LayerNorm; the intermediate dense by one for bias and activation. Threads come from
/// <see cref="ComputeOptions.Current"/>: one when the lane runs beside others, all of them when it runs alone.
/// </summary>
internal sealed class InferenceLane
{
    private float[] qkv = [];
    private float[] context = [];
    private float[] attention = [];
    private float[] intermediate = [];
    private float[] ping = [];
    private float[] pong = [];

    // Storage for an attention module that runs as autograd ops (Longformer's): reused from call to call.
    private readonly BufferPool pool = new();

    /// <summary>
    /// Sequences [first, first + count) of <paramref name="input"/> (B·T·H, row-major) through every layer into the
    /// same rows of <paramref name="output"/>; layer i's result (i &lt; L − 1) also into the same rows of states[i].
    /// </summary>
    public void Run(IReadOnlyList<BertLayer> layers, float[] input, float[] output, AttentionInputs inputs, int first, int count, float[][]? states)
    {
        var t = inputs.Length;
        var h = input.Length / Math.Max(1, inputs.Batch * t);
        var rows = count * t;
        var offset = first * t * h;
        var part = new Range(offset, offset + rows * h);
        ReadOnlySpan<float> current = input.AsSpan(part);
        var mask = inputs.AttentionMask.AsSpan(first * t, rows);
        for (var i = 0; i < layers.Count; i++)
        {
            var last = i == layers.Count - 1;
            var target = last ? output.AsSpan(part) : (i % 2 == 0 ? Buffer(ref ping, rows * h) : Buffer(ref pong, rows * h)).AsSpan(0, rows * h);
            Layer(layers[i], current, target, inputs, mask, first, count, h);
            if (!last && states is not null) target.CopyTo(states[i].AsSpan(part));
            current = target;
        }
    }

    private void Layer(BertLayer layer, ReadOnlySpan<float> input, Span<float> output, AttentionInputs inputs, ReadOnlySpan<int> mask,
        int first, int count, int h)
    {
        var rows = count * inputs.Length;
        var ctx = Buffer(ref context, rows * h).AsSpan(0, rows * h);
        SelfAttention(layer.Attention.Self, input, ctx, inputs, mask, first, count, h);

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

    private void SelfAttention(SelfAttentionModule module, ReadOnlySpan<float> input, Span<float> ctx, AttentionInputs inputs, ReadOnlySpan<int> mask,
        int first, int count, int h)
    {
        var rows = count * inputs.Length;
        if (module is not BertSelfAttention self)
        {
            // Another attention (Longformer's sliding window) runs as its own module over the whole batch; the rest
            // of the layer stays fused. BertInference gives such a model one lane.
            if (first != 0 || count != inputs.Batch)
                throw new InvalidOperationException($"{module.GetType().Name} runs over the whole batch, not sequences {first}..{first + count - 1} of {inputs.Batch}");
            // Its tensors live in a pool scope that ends once the result is copied out: the next call (next layer,
            // next forward) reuses their arrays instead of faulting in fresh pages (docs/performance.md).
            using var scope = pool.Begin();
            var hidden = Tensor.Empty(inputs.Batch, inputs.Length, h);
            input.CopyTo(hidden.Data);
            module.Forward(hidden, inputs).Data.AsSpan(0, rows * h).CopyTo(ctx);
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
        Fused.Attention(packed, packed[h..], packed[(2 * h)..], 3 * h, count, inputs.Length, self.Heads, self.HeadSize,
            mask, 1f / MathF.Sqrt(self.HeadSize), ctx);
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
