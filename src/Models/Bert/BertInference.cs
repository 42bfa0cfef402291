using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// The encoder's inference path: what transformers <c>modeling_bert.py: BertEncoder</c> / <c>BertLayer</c> compute
/// in eval mode, on buffers that outlive the call (<see cref="InferenceLane"/>). Used only when no gradient can
/// follow (eval mode, and recording off or nothing requiring a gradient); the autograd ops stay the reference.
/// </summary>
/// <remarks>
/// The sequences of a batch never meet inside the encoder, so with N threads and at least N sequences the batch is
/// cut into N equal runs of whole sequences, each taken through every layer by its own lane on one thread: one
/// parallel region per forward instead of one per GEMM and per fused pass (about ten per layer), with the GEMMs
/// still at M = (B/N)·T rows. Sequences left over (B mod N), and every batch when B &lt; N or an attention other
/// than BERT's is present (Longformer's runs over the whole batch), go through one lane that splits each step over
/// all threads.
/// </remarks>
internal sealed class BertInference
{
    private InferenceLane?[] lanes = [];

    /// <summary>True when the encoder may take this path: eval mode and no graph would be recorded.</summary>
    public static bool Applies(BertEncoder encoder, Tensor hidden)
    {
        if (encoder.Training) return false;
        if (!Autograd.IsEnabled) return true;
        if (hidden.RequiresGrad) return false;
        foreach (var p in encoder.Parameters())
            if (p.RequiresGrad) return false;
        return true;
    }

    /// <summary>How many lanes run side by side for <paramref name="batch"/> sequences on <paramref name="threads"/> threads (1: none).</summary>
    public static int SideBySide(IReadOnlyList<BertLayer> layers, int batch, int threads) =>
        threads > 1 && batch >= threads && layers.All(l => l.Attention.Self is BertSelfAttention) ? threads : 1;

    /// <summary>(B, T, H) → (B, T, H) through every layer; the result is a new tensor that aliases no buffer of this object.</summary>
    public Tensor Run(IReadOnlyList<BertLayer> layers, Tensor hidden, AttentionInputs inputs, List<Tensor>? hiddenStates)
    {
        var (b, t, h) = (hidden.Dim(0), hidden.Dim(1), hidden.Dim(2));
        hiddenStates?.Add(hidden);
        if (layers.Count == 0) return hidden;
        var output = Tensor.Zeros(b, t, h);
        var states = hiddenStates is null ? null : Enumerable.Range(0, layers.Count - 1).Select(_ => new float[b * t * h]).ToArray();
        var options = ComputeOptions.Current;
        var side = SideBySide(layers, b, options.Threads);
        var per = side > 1 ? b / side : 0;
        if (side > 1)
        {
            // Lanes are made here, not inside the loop: growing the lane array from two threads at once would race.
            for (var i = 0; i < side; i++) Lane(i);
            var single = options with { Threads = 1 };
            var input = hidden.Data;
            Parallel.For(0, side, new ParallelOptions { MaxDegreeOfParallelism = side }, i =>
            {
                using var scope = ComputeOptions.Use(single);
                lanes[i]!.Run(layers, input, output.Data, inputs, i * per, per, states);
            });
        }
        if (side * per < b) Lane(0).Run(layers, hidden.Data, output.Data, inputs, side * per, b - side * per, states);
        if (states is not null)
            foreach (var state in states) hiddenStates!.Add(new Tensor(state, b, t, h));
        hiddenStates?.Add(output);
        return output;
    }

    private InferenceLane Lane(int index)
    {
        if (lanes.Length <= index)
        {
            var grown = new InferenceLane?[index + 1];
            lanes.CopyTo(grown, 0);
            lanes = grown;
        }
        return lanes[index] ??= new InferenceLane();
    }
}
