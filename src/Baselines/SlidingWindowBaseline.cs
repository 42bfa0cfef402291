using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines;

/// <summary>
/// Sliding-window baseline ([P] Tables 1, 2, 4: "RoBERTa sliding window"): every window of the document
/// (<see cref="SlidingWindows.Cover"/>) is encoded with the query as its own 512-token input.
/// <list type="bullet">
/// <item>Classification: the windows' [CLS] vectors are pooled (mean or max, <see cref="SlidingWindows.Pool"/>) into one
/// document vector that the reasoner's classification head reads; training back-propagates through every window, so
/// training memory grows with the document (the cost CogLTX avoids, [P] §2).</item>
/// <item>Span QA: each window is a training row whose target is the answer when the window holds it and [CLS]
/// otherwise (BERT's SQuAD recipe); the prediction is the best span across windows
/// (<see cref="SlidingWindows.BestSpan"/>).</item>
/// </list>
/// </summary>
public sealed class SlidingWindowBaseline : LongTextBaseline
{
    public SlidingWindowBaseline(ReasonerModel model, int stride, Pooling pooling, SpecialTokens specials, int maxLength = 512, string? name = null)
        : base(name ?? DefaultName(model.Task, pooling), model, specials, maxLength)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "window stride must be ≥ 1");
        Stride = stride;
        Pooling = pooling;
    }

    /// <summary>Tokens between the starts of consecutive windows (capped at the window size).</summary>
    public int Stride { get; }

    public Pooling Pooling { get; }

    /// <summary>Rows per encoder call; all windows of a batch are encoded, this only bounds one call's size.</summary>
    public int RowsPerForward { get; init; } = 16;

    /// <summary>"sliding-mean" / "sliding-max" for classification, "sliding-window" for span QA (no pooling there).</summary>
    public static string DefaultName(ReasonerTask task, Pooling pooling) =>
        task == ReasonerTask.SpanQa ? "sliding-window" : pooling == Pooling.Mean ? "sliding-mean" : "sliding-max";

    /// <summary>The rows of <paramref name="example"/>: one per window.</summary>
    public IReadOnlyList<InputView> Views(BaselineExample example)
    {
        var budget = DocumentBudget(example);
        return [.. SlidingWindows.Cover(example.DocumentIds.Length, budget, Math.Min(Stride, budget))
            .Select(w => InputView.Build(example, [.. Enumerable.Range(w.Start, w.Length)], Specials))];
    }

    public override int InputTokens(BaselineExample example) => Views(example).Sum(v => v.Length);

    public override Tensor Loss(IReadOnlyList<BaselineExample> batch)
    {
        CheckTargets(batch);
        var (views, owners, counts) = Flatten(batch);
        if (IsSpanQa)
        {
            // Mean over windows: every window is a SQuAD-style training row.
            var losses = new List<Tensor>();
            foreach (var chunk in Chunks(views.Count))
            {
                var rb = MakeBatch(views.GetRange(chunk.Start, chunk.Length), owners.GetRange(chunk.Start, chunk.Length));
                losses.Add(Ops.Sum(ReasonerModel.PerSampleLoss(Model.Forward(rb), rb)));
            }
            var total = losses.Count == 1 ? losses[0] : Ops.Sum(Ops.Concat(losses, 0));
            return Ops.Scale(total, 1f / views.Count);
        }
        var logits = PooledLogits(views, owners, counts);
        return Ops.CrossEntropy(logits, [.. batch.Select(e => e.Label!.Value)]);
    }

    public override IReadOnlyList<BaselinePrediction> Predict(IReadOnlyList<BaselineExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        var (views, owners, counts) = Flatten(batch);
        using var _ = Autograd.NoGrad();
        if (!IsSpanQa)
        {
            var logits = PooledLogits(views, owners, counts);
            var classes = logits.Dim(1);
            return [.. Enumerable.Range(0, batch.Count).Select(r => ClassPrediction(logits.Data.AsSpan(r * classes, classes)))];
        }
        var perRow = new List<(InputView, float[], float[])>(views.Count);
        foreach (var chunk in Chunks(views.Count))
        {
            var rb = MakeBatch(views.GetRange(chunk.Start, chunk.Length), owners.GetRange(chunk.Start, chunk.Length));
            var output = Model.Forward(rb);
            var t = rb.Input.Length;
            for (var r = 0; r < chunk.Length; r++)
                perRow.Add((views[chunk.Start + r], output.StartLogits!.Data.AsSpan(r * t, t).ToArray(), output.EndLogits!.Data.AsSpan(r * t, t).ToArray()));
        }
        var predictions = new BaselinePrediction[batch.Count];
        var offset = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            predictions[i] = new BaselinePrediction(-1, [], SlidingWindows.BestSpan(perRow.GetRange(offset, counts[i]), Decoding));
            offset += counts[i];
        }
        return predictions;
    }

    /// <summary>(B, C) logits: encode every window, take each window's [CLS] vector, pool per example, classify.</summary>
    private Tensor PooledLogits(List<InputView> views, List<BaselineExample> owners, int[] counts)
    {
        var cls = new List<Tensor>();
        foreach (var chunk in Chunks(views.Count))
        {
            var rb = MakeBatch(views.GetRange(chunk.Start, chunk.Length), owners.GetRange(chunk.Start, chunk.Length));
            var hidden = Model.Encoder.Forward(rb.Input);                                  // (R, T, H)
            cls.Add(Ops.Reshape(Ops.Slice(hidden, 1, 0, 1), chunk.Length, hidden.Dim(2)));  // (R, H)
        }
        var windows = cls.Count == 1 ? cls[0] : Ops.Concat(cls, 0);                        // (ΣW, H)
        var pooled = new List<Tensor>(counts.Length);
        var offset = 0;
        foreach (var w in counts)
        {
            pooled.Add(SlidingWindows.Pool(Ops.Slice(windows, 0, offset, w), Pooling));   // (1, H)
            offset += w;
        }
        var documents = pooled.Count == 1 ? pooled[0] : Ops.Concat(pooled, 0);             // (B, H)
        var h = documents.Dim(1);
        return Model.Classify(Ops.Reshape(documents, counts.Length, 1, h));                  // (B, C)
    }

    private (List<InputView> Views, List<BaselineExample> Owners, int[] Counts) Flatten(IReadOnlyList<BaselineExample> batch)
    {
        var views = new List<InputView>();
        var owners = new List<BaselineExample>();
        var counts = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var v = Views(batch[i]);
            views.AddRange(v);
            owners.AddRange(Enumerable.Repeat(batch[i], v.Count));
            counts[i] = v.Count;
        }
        return (views, owners, counts);
    }

    private IEnumerable<Window> Chunks(int rows)
    {
        var size = Math.Max(1, RowsPerForward);
        for (var start = 0; start < rows; start += size) yield return new Window(start, Math.Min(size, rows - start));
    }
}
