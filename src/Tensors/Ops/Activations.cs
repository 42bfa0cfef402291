using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace CogLtx.Tensors;

/// <summary>The ops on tensors: forward kernels with their backward registered on the autograd tape (one file per op family).</summary>
public static partial class Ops
{
    /// <summary>Exact GELU: x·Φ(x) = x/2·(1 + erf(x/√2)) (BERT's "gelu", torch.nn.functional.gelu with approximate='none').</summary>
    public static Tensor Gelu(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        Chunked(x.Size, (s, e) => Kernels.Map<GeluOperator>(x.Data.AsSpan(s, e - s), y.Data.AsSpan(s, e - s)));
        return Autograd.Record(y, [x], () =>
        {
            // dx += dy·(Φ(x) + x·φ(x)); Φ is recomputed from x rather than cached.
            var dx = x.GradBuffer(out var fresh);
            var dy = y.Grad!;
            Chunked(x.Size, (s, e) => Kernels.Apply<GeluGradOperator>(x.Data.AsSpan(s, e - s), dy.AsSpan(s, e - s), dx.AsSpan(s, e - s), !fresh));
        });
    }

    /// <summary>tanh(x); backward dx += dy·(1 − y²).</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Tanh(x.Data, y.Data);
        return Autograd.Record(y, [x], () => Kernels.Apply<TanhGradOperator>(y.Data, y.Grad!, x.GradBuffer(out var fresh), !fresh));
    }

    /// <summary>σ(x) = 1/(1 + e^(−x)); backward dx += dy·y·(1 − y).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Sigmoid(x.Data, y.Data);
        return Autograd.Record(y, [x], () => Kernels.Apply<SigmoidGradOperator>(y.Data, y.Grad!, x.GradBuffer(out var fresh), !fresh));
    }

    /// <summary>max(x, 0); backward dx += dy where x &gt; 0.</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Max(x.Data, 0f, y.Data);
        return Autograd.Record(y, [x], () => Kernels.Apply<ReluGradOperator>(x.Data, y.Grad!, x.GradBuffer(out var fresh), !fresh));
    }

    private readonly struct GeluOperator : IUnaryOperator
    {
        public static float Invoke(float x) => x * NormalCdf.Phi(x);
        public static Vector512<float> Invoke(Vector512<float> x) => x * NormalCdf.Phi(x);
    }

    /// <summary>(x, dy) ↦ dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π).</summary>
    private readonly struct GeluGradOperator : IBinaryOperator
    {
        private const float InvSqrt2Pi = 0.3989422804014327f;

        public static float Invoke(float x, float dy) => dy * (NormalCdf.Phi(x) + x * InvSqrt2Pi * MathF.Exp(-0.5f * x * x));

        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var pdf = Vector512.Create(InvSqrt2Pi) * FloatExp.Exp(Vector512.Create(-0.5f) * x * x);
            return dy * Vector512.FusedMultiplyAdd(x, pdf, NormalCdf.Phi(x));
        }
    }

    /// <summary>(y, dy) ↦ dy·(1 − y²).</summary>
    private readonly struct TanhGradOperator : IBinaryOperator
    {
        public static float Invoke(float y, float dy) => dy * (1f - y * y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    }

    /// <summary>(y, dy) ↦ dy·y·(1 − y).</summary>
    private readonly struct SigmoidGradOperator : IBinaryOperator
    {
        public static float Invoke(float y, float dy) => dy * y * (1f - y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
    }

    /// <summary>(x, dy) ↦ dy where x &gt; 0, else 0.</summary>
    private readonly struct ReluGradOperator : IBinaryOperator
    {
        public static float Invoke(float x, float dy) => x > 0 ? dy : 0f;
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
    }
}
