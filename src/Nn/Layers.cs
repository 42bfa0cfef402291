using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>torch.nn.Linear: y = x·Wᵀ + b with W (out, in). Keys "weight", "bias".</summary>
public sealed class Linear : Module
{
    public Linear(VarBuilder vb, int inFeatures, int outFeatures, bool bias = true, float initStd = 0.02f)
    {
        Weight = Param("weight", vb.Get("weight", [outFeatures, inFeatures], new Init.Normal(initStd)));
        Bias = bias ? Param("bias", vb.Get("bias", [outFeatures], Init.Zeros)) : null;
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int InFeatures => Weight.Shape[1];
    public int OutFeatures => Weight.Shape[0];

    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}

/// <summary>torch.nn.LayerNorm over the last axis. Keys "weight", "bias" (legacy "gamma", "beta").</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(VarBuilder vb, int size, float eps)
    {
        Weight = Param("weight", vb.Get("weight", [size], Init.Ones));
        Bias = Param("bias", vb.Get("bias", [size], Init.Zeros));
        Eps = eps;
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public float Eps { get; }

    public Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}

/// <summary>torch.nn.Embedding (V, C). Key "weight". Rows equal to <see cref="PaddingIdx"/> get no gradient.</summary>
public sealed class Embedding : Module
{
    public Embedding(VarBuilder vb, int count, int size, int paddingIdx = -1, float initStd = 0.02f)
    {
        Weight = Param("weight", vb.Get("weight", [count, size], new Init.Normal(initStd)));
        PaddingIdx = paddingIdx;
    }

    public Tensor Weight { get; }
    public int PaddingIdx { get; }
    public int Count => Weight.Shape[0];

    public Tensor Forward(int[] ids, int[] idsShape)
    {
        foreach (var id in ids)
            if ((uint)id >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} outside the embedding table of {Count} rows ({Weight.Name})");
        return Ops.Embedding(Weight, ids, idsShape, PaddingIdx);
    }
}

/// <summary>torch.nn.Dropout: active only in training mode; draws from its own seeded RNG.</summary>
public sealed class Dropout(float p, Rng rng) : Module
{
    public float P { get; } = p;

    public Tensor Forward(Tensor x) => Ops.Dropout(x, P, rng, Training);
}
