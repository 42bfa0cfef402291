using CogLtx.Models;
using CogLtx.Tensors;

namespace CogLtx.Training.Pretraining;

/// <summary>One held-out measurement: mean cross-entropy (nats) and top-1 accuracy over the masked tokens.</summary>
public sealed record HeldOutPoint(int Step, double Loss, double Accuracy, int MaskedTokens);

/// <summary>
/// The held-out masked-token loss and accuracy, on the first <c>count</c> held-out sequences with masks drawn once
/// (epoch −1 of <see cref="MlmMasker.StreamFor"/>), so every evaluation of a run and every run of a seed scores the same
/// positions. Evaluation runs in eval mode (no dropout, so no draw from the dropout stream) without recording gradients.
/// </summary>
public sealed class HeldOutEvaluation
{
    private readonly List<MlmBatch> batches = [];

    /// <summary>Fixes the masks of the first <paramref name="count"/> held-out sequences (seeded), scored in batches of <paramref name="batchSize"/>.</summary>
    public HeldOutEvaluation(IReadOnlyList<PackedSequence> heldOut, MlmMasker masker, ulong seed, int count, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(masker);
        var sequences = heldOut.Take(count).ToList();
        if (sequences.Count == 0) throw new InvalidDataException("the held-out split is empty: the corpus needs more documents, or a larger held-out fraction");
        for (var start = 0; start < sequences.Count; start += batchSize)
        {
            var chunk = sequences.Skip(start).Take(batchSize).ToList();
            var masked = chunk.Select((s, i) => masker.Mask(s.Ids, s.AttentionMask, s.WordStarts, MlmMasker.StreamFor(seed, -1, start + i))).ToList();
            batches.Add(MlmBatch.Build(chunk, masked));
        }
        MaskedTokens = batches.Sum(b => b.Labels.Length);
    }

    /// <summary>Masked tokens over the fixed held-out masks (the denominator of the loss and the accuracy).</summary>
    public int MaskedTokens { get; }

    /// <summary>Held-out masked-token loss and accuracy of <paramref name="model"/> (eval mode) at optimizer step <paramref name="step"/>.</summary>
    public HeldOutPoint Evaluate(MaskedLmModel model, int step)
    {
        ArgumentNullException.ThrowIfNull(model);
        var wasTraining = model.Training;
        model.Eval();
        double loss = 0;
        var correct = 0;
        try
        {
            using var _ = Autograd.NoGrad();
            foreach (var batch in batches)
            {
                var logits = model.ForwardAt(batch.Input, batch.Positions);
                var v = logits.Dim(-1);
                for (var r = 0; r < batch.Labels.Length; r++)
                {
                    var row = logits.Data.AsSpan(r * v, v);
                    var (logProb, argmax) = LogSoftmaxAt(row, batch.Labels[r]);
                    loss -= logProb;
                    if (argmax == batch.Labels[r]) correct++;
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        if (!double.IsFinite(loss)) throw new ArithmeticException($"held-out loss at step {step} is {loss}");
        return new HeldOutPoint(step, loss / MaskedTokens, (double)correct / MaskedTokens, MaskedTokens);
    }

    /// <summary>
    /// The unigram baseline: mean −log p(label) with p the training token frequencies (add-one smoothed over the
    /// vocabulary), on the same masked positions. A model that learned nothing from context scores about this.
    /// </summary>
    public double UnigramLoss(IReadOnlyList<long> trainCounts)
    {
        ArgumentNullException.ThrowIfNull(trainCounts);
        var total = trainCounts.Sum() + (double)trainCounts.Count;
        return batches.SelectMany(b => b.Labels).Average(label => -Math.Log((trainCounts[label] + 1) / total));
    }

    /// <summary>log softmax(row)[target] in double, and the row's arg-max.</summary>
    private static (double LogProb, int Argmax) LogSoftmaxAt(ReadOnlySpan<float> row, int target)
    {
        var max = double.NegativeInfinity;
        var argmax = 0;
        for (var i = 0; i < row.Length; i++)
            if (row[i] > max) { max = row[i]; argmax = i; }
        double sum = 0;
        foreach (var x in row) sum += Math.Exp(x - max);
        return (row[target] - max - Math.Log(sum), argmax);
    }
}
