using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Baselines;

public sealed partial class SlidingWindowBaseline
{
    /// <summary>
    /// The micro-batch as <see cref="TrainingLoop"/> runs it, back-propagating itself given its scale s with the graphs
    /// of at most <see cref="RowsPerForward"/> windows alive at once, whatever the documents' lengths and the
    /// micro-batch's size. The loss and every gradient equal those of the one graph <see cref="Loss"/> builds, bit for
    /// bit: the same kernels run on the same values and accumulate in the same order (that graph's backward walks the
    /// window chunks first to last, as the passes below do; spec §10 row 29).
    /// <list type="bullet">
    /// <item>Classification, in two passes (gradient checkpointing at window-chunk granularity, as
    /// torch.utils.checkpoint recomputes a segment): pass 1 encodes every chunk without a graph and gathers the
    /// windows' [CLS] vectors into a leaf V (ΣW, H); the pooled logits and the loss are computed on V, and backward of
    /// s · loss gives the head's gradients and G = s · ∂loss/∂V. Pass 2 re-encodes each chunk with a graph and
    /// back-propagates its rows of G into the encoder, one chunk's graph at a time. The dropout stream
    /// (<see cref="LongTextBaseline.DropoutRng"/>) is rewound before each re-encoding so that pass 2 draws pass 1's masks,
    /// and left where pass 1 left it.</item>
    /// <item>Span QA, where every window is its own row: each chunk is encoded, scored and back-propagated before the
    /// next one is encoded.</item>
    /// </list>
    /// </summary>
    public override MicroBatchLoss MicroBatch(IReadOnlyList<BaselineExample> batch)
    {
        CheckTargets(batch);
        return new MicroBatchLoss(scale => IsSpanQa ? BackpropagateSpans(batch, scale) : BackpropagatePooled(batch, scale));
    }

    private float BackpropagateSpans(IReadOnlyList<BaselineExample> batch, float scale)
    {
        var (views, owners, _) = Flatten(batch);
        var sums = Chunks(views.Count).Select(chunk => Tensor.Scalar(BackpropagateSpanChunk(views, owners, chunk, views.Count, scale))).ToList();
        using var _ = Autograd.NoGrad();
        return MeanOverWindows(sums, views.Count).Item();
    }

    /// <summary>
    /// One chunk's part of s · (Σ window losses) / W: its Σ is scaled by 1/W, then by s, as the one graph's backward
    /// scales the total. Returns the chunk's Σ; its graph dies when this returns.
    /// </summary>
    private float BackpropagateSpanChunk(List<InputView> views, List<BaselineExample> owners, Window chunk, int windows, float scale)
    {
        var sum = ChunkSpanLoss(views, owners, chunk);
        var value = sum.Item();
        if (!float.IsFinite(value))
            throw new NonFiniteException($"the loss of windows {chunk.Start}–{chunk.End - 1} is {value}; stopping before their backward pass", ["loss"]);
        Ops.Scale(Ops.Scale(sum, 1f / windows), scale).Backward();
        return value;
    }

    private float BackpropagatePooled(IReadOnlyList<BaselineExample> batch, float scale)
    {
        var (views, owners, counts) = Flatten(batch);
        var chunks = Chunks(views.Count).ToList();
        var h = Model.Encoder.HiddenSize;
        var stream = ReplayedDropoutStream();
        // Pass 1. starts[i]: the dropout stream before chunk i is encoded; starts[^1]: after the last one.
        var starts = new RngSnapshot[chunks.Count + 1];
        var windows = new Tensor(new float[views.Count * h], views.Count, h) { RequiresGrad = true };   // V (ΣW, H)
        // In eval mode a no-grad encoder takes the fused inference path, whose rounding differs from the recorded
        // ops pass 2 differentiates; recording (each chunk's graph dropped at once) keeps both passes on one path.
        using (Model.Encoder.Training ? Autograd.NoGrad() : null)
            for (var i = 0; i < chunks.Count; i++)
            {
                if (stream is not null) starts[i] = stream.Snapshot();
                GatherChunkVectors(views, owners, chunks[i], windows.Data.AsSpan(chunks[i].Start * h, chunks[i].Length * h));
            }
        if (stream is not null)
        {
            starts[^1] = stream.Snapshot();
            if (starts[1] == starts[0])
                throw new InvalidOperationException($"{Name}: {nameof(DropoutRng)} is not the stream the encoder's dropout draws from, so its masks cannot be replayed");
        }
        var loss = Ops.CrossEntropy(PoolAndClassify(windows, counts), Labels(batch));
        var value = loss.Item();
        if (!float.IsFinite(value)) throw new NonFiniteException($"the loss is {value}; stopping before the backward pass", ["loss"]);
        var afterPass1 = stream?.Snapshot();
        Ops.Scale(loss, scale).Backward();
        var g = windows.Grad!;                                                               // G (ΣW, H)

        // Pass 2.
        for (var i = 0; i < chunks.Count; i++)
        {
            stream?.Restore(starts[i]);
            BackpropagateChunkVectors(views, owners, chunks[i], g.AsSpan(chunks[i].Start * h, chunks[i].Length * h));
            if (stream is not null && stream.Snapshot() != starts[i + 1])
                throw new InvalidOperationException($"{Name}: re-encoding windows {chunks[i].Start}–{chunks[i].End - 1} drew other dropout masks than their first encoding");
        }
        if (afterPass1 is { } left) stream!.Restore(left);
        return value;
    }

    /// <summary>Pass 1 for one chunk: its (R, H) [CLS] vectors copied into <paramref name="destination"/>.</summary>
    private void GatherChunkVectors(List<InputView> views, List<BaselineExample> owners, Window chunk, Span<float> destination) =>
        ChunkVectors(views, owners, chunk).Data.AsSpan().CopyTo(destination);

    /// <summary>Pass 2 for one chunk: re-encoded with a graph, back-propagated from its rows of G; the graph dies on return.</summary>
    private void BackpropagateChunkVectors(List<InputView> views, List<BaselineExample> owners, Window chunk, ReadOnlySpan<float> grad)
    {
        var vectors = ChunkVectors(views, owners, chunk);
        if (vectors.RequiresGrad) vectors.Backward(grad);
    }

    /// <summary>
    /// The stream whose dropout masks pass 2 must draw again, or null when the encoder draws none (eval mode, no
    /// dropout). Throws when dropout is on and the stream is unknown, since pass 2 would then differentiate through
    /// other masks than the loss was computed with.
    /// </summary>
    private Rng? ReplayedDropoutStream()
    {
        var config = Model.Encoder.Config;
        if (!Model.Encoder.Training || (config.HiddenDropoutProb == 0 && config.AttentionProbsDropoutProb == 0)) return null;
        return DropoutRng ?? throw new InvalidOperationException(
            $"{Name}: training with dropout re-encodes the windows and must draw their dropout masks again: set {nameof(DropoutRng)} to the model's dropout stream");
    }
}
