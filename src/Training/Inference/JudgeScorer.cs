using CogLtx.Judge;
using CogLtx.MemRecall;
using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Training.Inference;

/// <summary>
/// The judge as MemRecall's <see cref="IBlockScorer"/>: one batched forward per call, without recording gradients,
/// returning σ(logit) for every token of each input. It neither switches the judge's mode nor keeps state, so concurrent
/// calls are safe once the judge is in eval mode (the caller's job, as with <c>model.eval()</c>).
/// </summary>
public sealed class JudgeScorer(JudgeModel judge) : IBlockScorer
{
    public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count == 0) return [];
        var batch = JudgeBatch.Create(inputs, judge.Encoder.PadTokenId);
        Tensor logits;
        using (Autograd.NoGrad()) logits = judge.Forward(batch.Input);
        var length = batch.Input.Length;
        var result = new float[inputs.Count][];
        for (var r = 0; r < inputs.Count; r++)
        {
            var scores = new float[inputs[r].Length];
            for (var t = 0; t < scores.Length; t++) scores[t] = BlockScoring.Sigmoid(logits.Data[r * length + t]);
            result[r] = scores;
        }
        return result;
    }
}
