using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Longformer;

/// <summary>
/// Sliding-window self-attention with global tokens. Ports transformers 5.12.1
/// <c>models/longformer/modeling_longformer.py: LongformerSelfAttention</c> (the attention itself is
/// <see cref="Ops.SlidingWindowAttention"/>; see its remarks and the fixtures README "Longformer" for the exact
/// semantics). Local tokens use <c>query</c>/<c>key</c>/<c>value</c> over their window and over the global tokens;
/// each global token's output is recomputed with <c>query_global</c>/<c>key_global</c>/<c>value_global</c> over
/// every position. Keys: <c>query</c>, <c>key</c>, <c>value</c>, <c>query_global</c>, <c>key_global</c>,
/// <c>value_global</c> (Linear H → H each).
/// </summary>
public sealed class LongformerSelfAttention : SelfAttentionModule
{
    private readonly Rng rng;

    /// <param name="attentionWindow">Full window w of this layer (even); token i sees i − w/2 … i + w/2.</param>
    public LongformerSelfAttention(BertConfig config, VarBuilder vb, int attentionWindow, Rng rng)
    {
        if (attentionWindow <= 0 || attentionWindow % 2 != 0)
            throw new ArgumentException($"{vb.Prefix}: attention_window must be positive and even, got {attentionWindow}");
        this.rng = rng;
        var h = config.HiddenSize;
        var std = (float)config.InitializerRange;
        Heads = config.NumAttentionHeads;
        HeadSize = config.HeadSize;
        AttentionWindow = attentionWindow;
        DropoutP = (float)config.AttentionProbsDropoutProb;
        Query = Child("query", new Linear(vb.Pp("query"), h, h, true, std));
        Key = Child("key", new Linear(vb.Pp("key"), h, h, true, std));
        Value = Child("value", new Linear(vb.Pp("value"), h, h, true, std));
        QueryGlobal = Child("query_global", new Linear(vb.Pp("query_global"), h, h, true, std));
        KeyGlobal = Child("key_global", new Linear(vb.Pp("key_global"), h, h, true, std));
        ValueGlobal = Child("value_global", new Linear(vb.Pp("value_global"), h, h, true, std));
    }

    /// <summary><c>query</c> (H, H), for sliding-window attention.</summary>
    public Linear Query { get; }
    /// <summary><c>key</c> (H, H), for sliding-window attention.</summary>
    public Linear Key { get; }
    /// <summary><c>value</c> (H, H), for sliding-window attention.</summary>
    public Linear Value { get; }
    /// <summary><c>query_global</c> (H, H), for global tokens.</summary>
    public Linear QueryGlobal { get; }
    /// <summary><c>key_global</c> (H, H), for global tokens.</summary>
    public Linear KeyGlobal { get; }
    /// <summary><c>value_global</c> (H, H), for global tokens.</summary>
    public Linear ValueGlobal { get; }

    /// <summary>NH.</summary>
    public int Heads { get; }

    /// <summary>HS = H / NH.</summary>
    public int HeadSize { get; }

    /// <summary>Full window w (HF <c>config.attention_window[layer_id]</c>).</summary>
    public int AttentionWindow { get; }

    /// <summary>Dropout probability of the attention weights.</summary>
    public float DropoutP { get; }

    /// <summary>hidden (B, T, H) → context (B, T, H); global tokens come from <see cref="AttentionInputs.GlobalAttentionMask"/>.</summary>
    public override Tensor Forward(Tensor hidden, AttentionInputs inputs) =>
        Forward(hidden, SlidingWindowMask.FromMasks(inputs.AttentionMask, inputs.GlobalAttentionMask, inputs.Batch, inputs.Length));

    /// <summary>hidden (B, T, H) → context (B, T, H) under a prepared mask (0 padding, 1 local, 2 global).</summary>
    public Tensor Forward(Tensor hidden, SlidingWindowMask mask)
    {
        var q = Query.Forward(hidden);
        var k = Key.Forward(hidden);
        var v = Value.Forward(hidden);
        var scale = 1f / MathF.Sqrt(HeadSize);
        var dropout = Training ? DropoutP : 0f;
        if (mask.MaxGlobal == 0)
            return Ops.SlidingWindowAttention(q, k, v, mask, Heads, AttentionWindow / 2, scale, dropoutP: dropout, rng: rng);
        // HF projects only the global tokens' hidden states with query_global, but keys and values of every position.
        var qg = QueryGlobal.Forward(Ops.GatherGlobalRows(hidden, mask)); // (B, G, H)
        var kg = KeyGlobal.Forward(hidden);
        var vg = ValueGlobal.Forward(hidden);
        return Ops.SlidingWindowAttention(q, k, v, mask, Heads, AttentionWindow / 2, scale, qg, kg, vg, dropout, rng);
    }
}
