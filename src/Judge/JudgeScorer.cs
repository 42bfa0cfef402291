using CogLtx.MemRecall;
using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Judge;

/// <summary>
/// The judge as MemRecall's <see cref="IBlockScorer"/>: one batched forward per call, without recording gradients,
/// returning σ(logit) for every token of each input. It neither switches the judge's mode nor keeps state, so concurrent
/// calls are safe once the judge is in eval mode (the caller's job, as with <c>model.eval()</c>).
/// Block scores are then <see cref="BlockScores.FromTokens"/> (the one block-score function, used by training too).
/// </summary>
public sealed class JudgeScorer(JudgeModel judge) : IBlockScorer
{
    /// <summary>σ(x) = 1 / (1 + e^(−x)), computed without overflow for large |x|.</summary>
    public static float Sigmoid(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    /// <summary>σ of each row's logits (B, T), cut to each row's own length.</summary>
    public static float[][] TokenScores(Tensor logits, IReadOnlyList<AssembledInput> rows)
    {
        var length = logits.Dim(1);
        var result = new float[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var scores = new float[rows[r].Length];
            for (var t = 0; t < scores.Length; t++) scores[t] = Sigmoid(logits.Data[r * length + t]);
            result[r] = scores;
        }
        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count == 0) return [];
        var batch = JudgeBatch.Create(inputs, judge.Encoder.PadTokenId);
        using (judge.Inference()) return TokenScores(judge.Forward(batch.Input), inputs);
    }
}
