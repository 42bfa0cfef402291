using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>torch.nn.Linear: y = x·Wᵀ + b with W (out, in). Keys "weight", "bias".</summary>
public sealed class Linear : Module
{
    /// <summary>Loads or creates <c>weight</c> (out, in) and, when <paramref name="bias"/>, <c>bias</c> (out) under <paramref name="vb"/>; fresh weights are normal with <paramref name="initStd"/>.</summary>
    public Linear(VarBuilder vb, int inFeatures, int outFeatures, bool bias = true, float initStd = 0.02f)
    {
        Weight = Param("weight", vb.Get("weight", [outFeatures, inFeatures], new Init.Normal(initStd)));
        Bias = bias ? Param("bias", vb.Get("bias", [outFeatures], Init.Zeros)) : null;
    }

    /// <summary><c>weight</c> (out, in).</summary>
    public Tensor Weight { get; }
    /// <summary><c>bias</c> (out), or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Input width.</summary>
    public int InFeatures => Weight.Shape[1];
    /// <summary>Output width.</summary>
    public int OutFeatures => Weight.Shape[0];

    /// <summary>y = x·Wᵀ + b over the last dimension of <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}

/// <summary>torch.nn.LayerNorm over the last axis. Keys "weight", "bias" (legacy "gamma", "beta").</summary>
public sealed class LayerNorm : Module
{
    /// <summary>Loads or creates <c>weight</c> (ones) and <c>bias</c> (zeros) of length <paramref name="size"/> under <paramref name="vb"/>.</summary>
    public LayerNorm(VarBuilder vb, int size, float eps)
    {
        Weight = Param("weight", vb.Get("weight", [size], Init.Ones));
        Bias = Param("bias", vb.Get("bias", [size], Init.Zeros));
        Eps = eps;
    }

    /// <summary><c>weight</c> (γ).</summary>
    public Tensor Weight { get; }
    /// <summary><c>bias</c> (β).</summary>
    public Tensor Bias { get; }
    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>LayerNorm over the last dimension of <paramref name="x"/>.</summary>
    public Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}

/// <summary>torch.nn.Embedding (V, C). Key "weight". Rows equal to <see cref="PaddingIdx"/> get no gradient.</summary>
public sealed class Embedding : Module
{
    /// <summary>Loads or creates <c>weight</c> (count, size) under <paramref name="vb"/>; fresh weights are normal with <paramref name="initStd"/>.</summary>
    public Embedding(VarBuilder vb, int count, int size, int paddingIdx = -1, float initStd = 0.02f)
    {
        Weight = Param("weight", vb.Get("weight", [count, size], new Init.Normal(initStd)));
        PaddingIdx = paddingIdx;
    }

    /// <summary><c>weight</c> (count, size).</summary>
    public Tensor Weight { get; }
    /// <summary>Row that gets no gradient (−1: none).</summary>
    public int PaddingIdx { get; }
    /// <summary>Number of rows.</summary>
    public int Count => Weight.Shape[0];

    /// <summary>Rows of <c>weight</c> for <paramref name="ids"/>, shaped <paramref name="idsShape"/> + (size).</summary>
    public Tensor Forward(int[] ids, int[] idsShape)
    {
        CheckIds(ids);
        return Ops.Embedding(Weight, ids, idsShape, PaddingIdx);
    }

    /// <summary>Throws when an id is outside [0, <see cref="Count"/>), naming the id and the table.</summary>
    public void CheckIds(ReadOnlySpan<int> ids)
    {
        foreach (var id in ids)
            if ((uint)id >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} outside the embedding table of {Count} rows ({Weight.Name})");
    }
}

/// <summary>torch.nn.Dropout: active only in training mode; draws from its own seeded RNG.</summary>
public sealed class Dropout(float p, Rng rng) : Module
{
    /// <summary>Probability of zeroing an element in training mode.</summary>
    public float P { get; } = p;

    /// <summary>Inverted dropout in training mode; the identity in eval mode.</summary>
    public Tensor Forward(Tensor x) => Ops.Dropout(x, P, rng, Training);
}
