using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// What every layer's self-attention sees besides the hidden states: sizes B and T, the 0/1 attention mask
/// (B·T, row-major), its additive form (B, 1, 1, T) with 0 at kept keys and float.MinValue at padded keys
/// (transformers' <c>finfo.min</c> extended mask), and Longformer's 0/1 global attention mask when given.
/// </summary>
public sealed record AttentionInputs(int Batch, int Length, int[] AttentionMask, Tensor? AdditiveMask, int[]? GlobalAttentionMask = null)
{
    /// <summary>Builds the inputs for one batch, including the additive mask.</summary>
    public static AttentionInputs Create(int batch, int length, int[] attentionMask, int[]? globalAttentionMask = null)
    {
        if (attentionMask.Length != batch * length)
            throw new ArgumentException($"attention_mask has {attentionMask.Length} entries, expected batch {batch} × length {length}");
        var mask = new float[attentionMask.Length];
        for (var i = 0; i < mask.Length; i++) mask[i] = attentionMask[i];
        return new(batch, length, attentionMask, Ops.AdditiveMask(mask, batch, length), globalAttentionMask);
    }
}

/// <summary>
/// The pluggable self-attention of a <see cref="BertLayer"/> (the module under <c>attention.self</c>):
/// hidden (B, T, H) → context (B, T, H), before <see cref="BertSelfOutput"/>. BERT and RoBERTa use
/// <see cref="BertSelfAttention"/>; Longformer supplies its sliding-window attention.
/// </summary>
public abstract class SelfAttentionModule : Module
{
    /// <summary>Attention over <paramref name="hidden"/> (B, T, H) → context (B, T, H).</summary>
    public abstract Tensor Forward(Tensor hidden, AttentionInputs inputs);
}

/// <summary>
/// Multi-head self-attention, encoder path only (no cross-attention, cache or relative positions).
/// Ports transformers <c>models/bert/modeling_bert.py: BertSelfAttention</c> (= <c>RobertaSelfAttention</c>):
/// per head softmax(q·kᵀ/√HS + mask)·v, with dropout on the probabilities in training.
/// Keys: <c>query</c>, <c>key</c>, <c>value</c> (Linear H → H each).
/// </summary>
public sealed class BertSelfAttention : SelfAttentionModule
{
    private readonly Rng rng;

    /// <summary>Loads or creates <c>attention.self.*</c> under <paramref name="vb"/>.</summary>
    public BertSelfAttention(BertConfig config, VarBuilder vb, Rng rng)
    {
        this.rng = rng;
        var h = config.HiddenSize;
        var std = (float)config.InitializerRange;
        Heads = config.NumAttentionHeads;
        HeadSize = config.HeadSize;
        DropoutP = (float)config.AttentionProbsDropoutProb;
        Query = Child("query", new Linear(vb.Pp("query"), h, h, true, std));
        Key = Child("key", new Linear(vb.Pp("key"), h, h, true, std));
        Value = Child("value", new Linear(vb.Pp("value"), h, h, true, std));
    }

    /// <summary><c>query</c> (H, H).</summary>
    public Linear Query { get; }
    /// <summary><c>key</c> (H, H).</summary>
    public Linear Key { get; }
    /// <summary><c>value</c> (H, H).</summary>
    public Linear Value { get; }

    /// <summary>NH.</summary>
    public int Heads { get; }

    /// <summary>HS = H / NH.</summary>
    public int HeadSize { get; }

    /// <summary>Dropout probability of the attention weights.</summary>
    public float DropoutP { get; }

    /// <summary>hidden (B, T, H) → context (B, T, H).</summary>
    public override Tensor Forward(Tensor hidden, AttentionInputs inputs)
    {
        var (b, t) = (inputs.Batch, inputs.Length);
        var q = SplitHeads(Query.Forward(hidden), b, t); // (B, NH, T, HS)
        var k = SplitHeads(Key.Forward(hidden), b, t);
        var v = SplitHeads(Value.Forward(hidden), b, t);
        var context = Ops.ScaledDotProductAttention(q, k, v, inputs.AdditiveMask, 1f / MathF.Sqrt(HeadSize), Training ? DropoutP : 0f, rng);
        return MergeHeads(context, b, t); // (B, T, H)
    }

    /// <summary>
    /// The attention probabilities softmax(q·kᵀ/√HS + mask), (B, NH, T, T), as transformers returns them with
    /// <c>output_attentions=True</c> (eager path). For inspection and tests; <see cref="Forward"/> uses the fused kernel.
    /// </summary>
    public Tensor Probabilities(Tensor hidden, AttentionInputs inputs)
    {
        var (b, t) = (inputs.Batch, inputs.Length);
        var q = SplitHeads(Query.Forward(hidden), b, t);
        var k = SplitHeads(Key.Forward(hidden), b, t);
        var scores = Ops.Scale(Ops.MatMul(q, k, transB: true), 1f / MathF.Sqrt(HeadSize)); // (B, NH, T, T)
        if (inputs.AdditiveMask is { } mask) scores = Ops.Add(scores, mask);
        return Ops.Softmax(scores);
    }

    /// <summary>(B, T, H) → (B, NH, T, HS) (transformers' <c>transpose_for_scores</c>).</summary>
    private Tensor SplitHeads(Tensor x, int b, int t) => Ops.Permute(Ops.Reshape(x, b, t, Heads, HeadSize), 0, 2, 1, 3);

    /// <summary>(B, NH, T, HS) → (B, T, H).</summary>
    private Tensor MergeHeads(Tensor x, int b, int t) => Ops.Reshape(Ops.Permute(x, 0, 2, 1, 3), b, t, Heads * HeadSize);
}
