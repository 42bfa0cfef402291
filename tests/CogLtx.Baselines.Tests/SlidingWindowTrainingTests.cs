using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines.Tests;

/// <summary>
/// SlidingWindowBaseline.MicroBatch against the one graph of SlidingWindowBaseline.Loss: the same loss and gradients
/// bit for bit (dropout on), with at most RowsPerForward windows' encoder graphs alive at once.
/// </summary>
public sealed class SlidingWindowTrainingTests
{
    /// <summary>A fresh sliding-window baseline on BERT L2 H16 A2 (dropout 0.1 unless asked) and its dropout stream.</summary>
    private static SlidingWindowBaseline Baseline(ReasonerTask task, Pooling pooling, int rowsPerForward, double dropout = 0.1, bool giveStream = true, Rng? stream = null)
    {
        var config = BertConfig.Scratch(40, layers: 2, hidden: 16, heads: 2, intermediate: 32, maxLength: 64) with
        {
            HiddenDropoutProb = dropout,
            AttentionProbsDropoutProb = dropout,
        };
        var dropoutRng = new Rng(77);
        var model = ReasonerModel.Create(config, task, 3, VarBuilder.Fresh(new Rng(5)), dropoutRng);
        return new SlidingWindowBaseline(model, stride: 5, pooling, TinyModels.Specials, maxLength: 16)
        {
            RowsPerForward = rowsPerForward,
            DropoutRng = giveStream ? stream ?? dropoutRng : null,
        };
    }

    // Document budget 16 − 3 = 13 (classification) or 16 − 2 − 3 = 11 (span QA), stride 5: a 40-token document
    // has 6 or 7 windows, a 22-token one 2 or 3.
    private static BaselineExample[] Batch(ReasonerTask task, ulong seed) => task == ReasonerTask.SpanQa
        ? [new("a", [30, 31], TinyModels.Document(40, seed)) { Answer = new AnswerTarget(17, 18) },
           new("b", [32, 33], TinyModels.Document(22, seed + 1)) { Answer = new AnswerTarget(3, 3) }]
        : [new("a", [], TinyModels.Document(40, seed)) { Label = 2 }, new("b", [], TinyModels.Document(22, seed + 1)) { Label = 0 }];

    public static TheoryData<ReasonerTask, Pooling, bool> Cases => new()
    {
        { ReasonerTask.Classification, Pooling.Mean, true },
        { ReasonerTask.Classification, Pooling.Max, true },
        { ReasonerTask.Classification, Pooling.Mean, false },
        { ReasonerTask.SpanQa, Pooling.Max, true },
        { ReasonerTask.SpanQa, Pooling.Max, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MicroBatch_LossAndEveryGradient_EqualTheOneGraphBitForBit(ReasonerTask task, Pooling pooling, bool training)
    {
        // Two micro-batches accumulate into the same gradients (scales 0.75 and 0.25); 3 windows per encoder call
        // split each batch's 8–10 windows into chunks that straddle documents.
        var oneGraph = Baseline(task, pooling, rowsPerForward: 3);
        var chunked = Baseline(task, pooling, rowsPerForward: 3);
        if (!training) { oneGraph.Model.Eval(); chunked.Model.Eval(); }
        Assert.True(oneGraph.Views(Batch(task, 1)[0]).Count > 3);
        foreach (var (seed, scale) in new[] { (1UL, 0.75f), (3UL, 0.25f) })
        {
            var loss = oneGraph.Loss(Batch(task, seed));
            var expected = loss.Item();
            Ops.Scale(loss, scale).Backward();
            var microBatch = chunked.MicroBatch(Batch(task, seed));
            Assert.Null(microBatch.Loss);
            Assert.Equal(expected, microBatch.Backpropagate!(scale));
            Assert.Equal(oneGraph.DropoutRng!.Snapshot(), chunked.DropoutRng!.Snapshot());
        }
        var expectedGrads = oneGraph.Model.NamedParameters().ToDictionary(p => p.Name, p => p.Value.Grad);
        foreach (var (name, p) in chunked.Model.NamedParameters())
        {
            Assert.True(p.Grad is not null, name);
            Assert.True(expectedGrads[name]!.AsSpan().SequenceEqual(p.Grad), $"{name}: the gradient differs from the one graph's");
        }
        Assert.Contains(chunked.Model.Parameters(), p => p.Grad!.Any(g => g != 0));
    }

    [Fact]
    public void MicroBatch_WithDropout_NeedsTheModelsDropoutStream()
    {
        var batch = Batch(ReasonerTask.Classification, 1);
        var unknown = Baseline(ReasonerTask.Classification, Pooling.Mean, 3, giveStream: false);
        Assert.Contains("DropoutRng", Assert.Throws<InvalidOperationException>(() => unknown.MicroBatch(batch).Backpropagate!(1f)).Message);
        var other = Baseline(ReasonerTask.Classification, Pooling.Mean, 3, stream: new Rng(1));
        Assert.Contains("not the stream", Assert.Throws<InvalidOperationException>(() => other.MicroBatch(batch).Backpropagate!(1f)).Message);
        // Without dropout nothing is replayed, so no stream is needed.
        Assert.True(float.IsFinite(Baseline(ReasonerTask.Classification, Pooling.Mean, 3, dropout: 0, giveStream: false).MicroBatch(batch).Backpropagate!(1f)));
    }

    [Theory]
    [InlineData(ReasonerTask.Classification, Pooling.Mean)]
    [InlineData(ReasonerTask.Classification, Pooling.Max)]
    [InlineData(ReasonerTask.SpanQa, Pooling.Max)]
    public void MicroBatch_KeepsAtMostRowsPerForwardWindowsAlive_WhileTheOneGraphKeepsThemAll(ReasonerTask task, Pooling pooling)
    {
        // Two documents of 20+ windows each, 2 windows per encoder call: every encoder output is watched through a
        // weak reference; at each encoder call, after a full collection, the rows still reachable are counted.
        const int rowsPerForward = 2;
        var baseline = Baseline(task, pooling, rowsPerForward);
        BaselineExample[] batch = task == ReasonerTask.SpanQa
            ? [new("a", [30, 31], TinyModels.Document(110, 1)) { Answer = new AnswerTarget(50, 51) },
               new("b", [32, 33], TinyModels.Document(104, 2)) { Answer = new AnswerTarget(3, 3) }]
            : [new("a", [], TinyModels.Document(112, 1)) { Label = 1 }, new("b", [], TinyModels.Document(106, 2)) { Label = 0 }];
        var windows = batch.Sum(e => baseline.Views(e).Count);
        Assert.True(windows >= 20 * rowsPerForward, $"{windows} windows");

        var (calls, peak) = WatchAliveRows(baseline, () => baseline.MicroBatch(batch).Backpropagate!(1f));
        var chunks = (windows + rowsPerForward - 1) / rowsPerForward;
        Assert.Equal(task == ReasonerTask.SpanQa ? chunks : 2 * chunks, calls);   // classification encodes twice
        Assert.Equal(rowsPerForward, peak);

        // The probe sees what the one graph keeps: every window until backward.
        var (_, onePeak) = WatchAliveRows(baseline, () => Ops.Scale(baseline.Loss(batch), 1f).Backward());
        Assert.Equal(windows, onePeak);
    }

    /// <summary>Runs <paramref name="train"/>; returns the encoder calls and the largest number of encoded rows alive at one.</summary>
    private static (int Calls, int Peak) WatchAliveRows(SlidingWindowBaseline baseline, Action train)
    {
        var watched = new List<(WeakReference<Tensor> Output, int Rows)>();
        var peak = 0;
        baseline.Encoded = hidden =>
        {
            watched.Add((new WeakReference<Tensor>(hidden), hidden.Dim(0)));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            peak = Math.Max(peak, watched.Where(w => w.Output.TryGetTarget(out _)).Sum(w => w.Rows));
        };
        try
        {
            train();
        }
        finally
        {
            baseline.Encoded = null;
        }
        return (watched.Count, peak);
    }
}
