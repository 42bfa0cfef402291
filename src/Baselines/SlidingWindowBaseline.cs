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
/// its compute grows with the document (the cost CogLTX avoids, [P] §2), while its memory is bounded by
/// <see cref="RowsPerForward"/> windows (<see cref="MicroBatch"/>).</item>
/// <item>Span QA: each window is a training row whose target is the answer when the window holds it and [CLS]
/// otherwise (BERT's SQuAD recipe); the prediction is the best span across windows
/// (<see cref="SlidingWindows.BestSpan"/>).</item>
/// </list>
/// </summary>
public sealed partial class SlidingWindowBaseline : LongTextBaseline
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

    /// <summary>
    /// Windows per encoder call. In training it also bounds memory: <see cref="MicroBatch"/> keeps the graphs of at
    /// most this many windows alive at once, whatever the documents' lengths and the micro-batch's size.
    /// </summary>
    public int RowsPerForward { get; init; } = 16;

    /// <summary>Called with every (R, T, H) encoder output the baseline computes (tests watch how many stay alive).</summary>
    internal Action<Tensor>? Encoded { get; set; }

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

    /// <summary>
    /// The mean training loss as one graph over every window of the batch, kept until backward, so its memory grows
    /// with the documents: training goes through <see cref="MicroBatch"/>, which gives this loss and its gradients
    /// bit for bit with at most <see cref="RowsPerForward"/> windows' graphs alive.
    /// </summary>
    public override Tensor Loss(IReadOnlyList<BaselineExample> batch)
    {
        CheckTargets(batch);
        var (views, owners, counts) = Flatten(batch);
        if (IsSpanQa) return MeanOverWindows([.. Chunks(views.Count).Select(chunk => ChunkSpanLoss(views, owners, chunk))], views.Count);
        return Ops.CrossEntropy(PoolAndClassify(WindowVectors(views, owners), counts), Labels(batch));
    }

    public override IReadOnlyList<BaselinePrediction> Predict(IReadOnlyList<BaselineExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        var (views, owners, counts) = Flatten(batch);
        using var _ = Model.Inference();
        if (!IsSpanQa)
        {
            var logits = PoolAndClassify(WindowVectors(views, owners), counts);
            var classes = logits.Dim(1);
            return [.. Enumerable.Range(0, batch.Count).Select(r => ClassPrediction(logits.Data.AsSpan(r * classes, classes)))];
        }
        var perRow = new List<(InputView, float[], float[])>(views.Count);
        foreach (var chunk in Chunks(views.Count))
        {
            var rb = ChunkBatch(views, owners, chunk);
            var output = Model.Forward(rb, Encode(rb));
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

    /// <summary>Σ over the chunk's windows of their span losses (one element); every window is a SQuAD-style row.</summary>
    private Tensor ChunkSpanLoss(List<InputView> views, List<BaselineExample> owners, Window chunk)
    {
        var rb = ChunkBatch(views, owners, chunk);
        return Ops.Sum(ReasonerModel.PerSampleLoss(Model.Forward(rb, Encode(rb)), rb));
    }

    /// <summary>The span-QA loss: the mean over windows, from the chunks' sums in chunk order.</summary>
    private static Tensor MeanOverWindows(IReadOnlyList<Tensor> chunkSums, int windows)
    {
        var total = chunkSums.Count == 1 ? chunkSums[0] : Ops.Sum(Ops.Concat(chunkSums, 0));
        return Ops.Scale(total, 1f / windows);
    }

    /// <summary>(ΣW, H): every window's [CLS] vector, <see cref="RowsPerForward"/> windows per encoder call.</summary>
    private Tensor WindowVectors(List<InputView> views, List<BaselineExample> owners)
    {
        var cls = Chunks(views.Count).Select(chunk => ChunkVectors(views, owners, chunk)).ToList();
        return cls.Count == 1 ? cls[0] : Ops.Concat(cls, 0);
    }

    /// <summary>(R, H): the [CLS] vectors of the chunk's windows.</summary>
    private Tensor ChunkVectors(List<InputView> views, List<BaselineExample> owners, Window chunk)
    {
        var hidden = Encode(ChunkBatch(views, owners, chunk));                              // (R, T, H)
        return Ops.Reshape(Ops.Slice(hidden, 1, 0, 1), chunk.Length, hidden.Dim(2));       // (R, H)
    }

    /// <summary>(ΣW, H) window vectors → (B, C) logits: each example's <c>counts[i]</c> windows pooled, then classified.</summary>
    private Tensor PoolAndClassify(Tensor windows, int[] counts)
    {
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

    private Tensor Encode(ReasonerBatch rb)
    {
        var hidden = Model.Encoder.Forward(rb.Input);
        Encoded?.Invoke(hidden);
        return hidden;
    }

    private ReasonerBatch ChunkBatch(List<InputView> views, List<BaselineExample> owners, Window chunk) =>
        MakeBatch(views.GetRange(chunk.Start, chunk.Length), owners.GetRange(chunk.Start, chunk.Length));

    private static int[] Labels(IReadOnlyList<BaselineExample> batch) => [.. batch.Select(e => e.Label!.Value)];

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

    /// <summary>Consecutive runs of at most <see cref="RowsPerForward"/> of the batch's windows.</summary>
    private IEnumerable<Window> Chunks(int rows)
    {
        var size = Math.Max(1, RowsPerForward);
        for (var start = 0; start < rows; start += size) yield return new Window(start, Math.Min(size, rows - start));
    }
}
