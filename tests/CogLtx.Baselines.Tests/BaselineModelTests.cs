using CogLtx.Models;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines.Tests;

public sealed class BaselineModelTests
{
    private static BaselineExample Cls(string id, int length, int label, ulong seed) => new(id, [], TinyModels.Document(length, seed)) { Label = label };

    /// <summary>logits = head(h_CLS) of one unpadded row, the reference computation.</summary>
    private static float[] RowLogits(ReasonerModel model, InputView view)
    {
        using var _ = Autograd.NoGrad();
        return model.Classify(model.Encoder.Forward(EncoderInput.Single(view.Ids))).Data;
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.Max)]
    public void SlidingWindow_PooledLogits_MatchWindowByWindowEncoding(Pooling pooling)
    {
        var model = TinyModels.Reasoner(ReasonerTask.Classification);
        model.Eval();
        var sw = new SlidingWindowBaseline(model, stride: 7, pooling, TinyModels.Specials, maxLength: 16) { RowsPerForward = 2 };
        var example = Cls("a", 30, 1, 5);
        var views = sw.Views(example);
        Assert.Equal(4, views.Count); // budget 16 − 3 = 13, stride 7: windows at 0, 7, 14, 21 (21 + 13 ≥ 30)
        var cls = views.Select(v =>
        {
            using var _ = Autograd.NoGrad();
            var h = model.Encoder.Forward(EncoderInput.Single(v.Ids));
            return Ops.Reshape(Ops.Slice(h, 1, 0, 1), 1, 16).Data;
        }).ToList();
        var pooled = Enumerable.Range(0, 16).Select(j => pooling == Pooling.Mean ? cls.Average(c => c[j]) : cls.Max(c => c[j])).ToArray();
        float[] expected;
        using (Autograd.NoGrad()) expected = model.Classify(new Tensor(pooled, 1, 1, 16)).Data;
        // Batched with another, shorter example (padding must not leak into the pooled vector).
        var predictions = sw.Predict([Cls("b", 9, 0, 6), example]);
        Assert.Single(sw.Predict([Cls("b", 9, 0, 6)]));
        for (var c = 0; c < expected.Length; c++) Assert.Equal(expected[c], predictions[1].ClassLogits[c], 4);
    }

    [Fact]
    public void Truncation_BatchLoss_IsTheMeanOfEachRowsCrossEntropy()
    {
        var model = TinyModels.Reasoner(ReasonerTask.Classification);
        model.Eval();
        var head = new TruncationBaseline(model, new Truncation(TruncationKind.Head), TinyModels.Specials, maxLength: 16);
        BaselineExample[] batch = [Cls("a", 40, 2, 1), Cls("b", 5, 0, 2)];
        double expected = 0;
        foreach (var e in batch)
        {
            var logits = RowLogits(model, head.View(e));
            var logSum = Math.Log(logits.Sum(l => Math.Exp(l)));
            expected += (logSum - logits[e.Label!.Value]) / batch.Length;
        }
        Assert.Equal(13, head.View(batch[0]).DocumentTokens);
        Assert.Equal(expected, head.Loss(batch).Item(), 4);
    }

    [Fact]
    public void Truncation_Tail_SeesTheEndOfTheDocument()
    {
        var model = TinyModels.Reasoner(ReasonerTask.Classification);
        var tail = new TruncationBaseline(model, new Truncation(TruncationKind.Tail), TinyModels.Specials, maxLength: 16);
        var e = Cls("a", 40, 0, 3);
        Assert.Equal(e.DocumentIds[^13..], tail.View(e).Ids[2..^1]);
        Assert.Equal("tail", tail.Name);
    }

    [Fact]
    public void SlidingWindowQa_TrainsEveryWindow_AndPredictsASpanInsideTheDocument()
    {
        var model = TinyModels.Reasoner(ReasonerTask.SpanQa);
        var sw = new SlidingWindowBaseline(model, stride: 5, Pooling.Max, TinyModels.Specials, maxLength: 16);
        var example = new BaselineExample("q", [30, 31], TinyModels.Document(25, 9)) { Answer = new AnswerTarget(20, 21) };
        var views = sw.Views(example);
        // budget 16 − 2 − 3 = 11, stride 5: windows [0, 11), [5, 16), [10, 21), [15, 25); only the last holds both
        // answer tokens 20..21 (at positions 4 + 5, 4 + 6); the others target [CLS].
        Assert.Equal(4, views.Count);
        Assert.Equal([(0, 0), (0, 0), (0, 0), (9, 10)], views.Select(v => v.Target(example.Answer!.Value)));
        var loss = sw.Loss([example]);
        Assert.True(float.IsFinite(loss.Item()));
        loss.Backward();
        Assert.Contains(model.Parameters(), p => p.Grad is { } g && g.Any(x => x != 0));
        model.Eval();
        var answer = sw.Predict([example])[0].Answer!.Value;
        Assert.Equal(AnswerKind.Span, answer.Kind);
        Assert.InRange(answer.Start, 0, 24);
        Assert.InRange(answer.End, 0, 24);
        Assert.Equal("sliding-window", sw.Name);
    }

    [Theory]
    [InlineData(ReasonerTask.Classification)]
    [InlineData(ReasonerTask.SpanQa)]
    public void Longformer_FromReasoner_ShortInput_ComputesWhatTheReasonerDoes(ReasonerTask task)
    {
        // A 20-token row lies inside a 64-token band, so the converted model must reproduce the source.
        var reasoner = TinyModels.Reasoner(task);
        reasoner.Eval();
        var before = reasoner.StateDict().ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Data.Clone());
        var longformer = LongformerBaseline.FromReasoner(reasoner, TinyModels.Specials, maxLength: 256, attentionWindow: 64, new Rng(3));
        longformer.Model.Eval();
        var head = new TruncationBaseline(reasoner, new Truncation(TruncationKind.Head), TinyModels.Specials, maxLength: 64);
        var example = new BaselineExample("e", task == ReasonerTask.SpanQa ? [31, 32] : [], TinyModels.Document(15, 4))
        {
            Label = 1,
            Answer = new AnswerTarget(3, 4),
        };
        Assert.Equal(head.View(example).Ids, longformer.View(example).Ids);
        Assert.Equal(head.Loss([example]).Item(), longformer.Loss([example]).Item(), 4);
        var a = head.Predict([example])[0];
        var b = longformer.Predict([example])[0];
        Assert.Equal(a.Label, b.Label);
        Assert.Equal(a.Answer?.Start, b.Answer?.Start);
        Assert.Equal(a.Answer?.End, b.Answer?.End);
        foreach (var (name, value) in reasoner.StateDict()) Assert.Equal(before[name], value.Data);
    }

    [Fact]
    public void Longformer_ReadsPast512Tokens_WithGlobalAttentionOnTheQuery()
    {
        var reasoner = TinyModels.Reasoner(ReasonerTask.SpanQa);
        var longformer = LongformerBaseline.FromReasoner(reasoner, TinyModels.Specials, maxLength: 256, attentionWindow: 32, new Rng(3));
        var example = new BaselineExample("e", [31, 32], TinyModels.Document(300, 4)) { Answer = new AnswerTarget(200, 201) };
        var view = longformer.View(example);
        Assert.Equal(256, view.Length);
        Assert.Equal((204, 205), view.Target(example.Answer!.Value));
        Assert.True(float.IsFinite(longformer.Loss([example]).Item()));
    }

    [Fact]
    public void Loss_ExampleWithoutTarget_IsRejectedByName()
    {
        var head = new TruncationBaseline(TinyModels.Reasoner(ReasonerTask.SpanQa), new Truncation(TruncationKind.Head), TinyModels.Specials, maxLength: 16);
        var e = Assert.Throws<ArgumentException>(() => head.Loss([new BaselineExample("lost", [30], [10, 11])]));
        Assert.Contains("lost", e.Message);
    }
}
