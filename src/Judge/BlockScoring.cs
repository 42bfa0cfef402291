using CogLtx.Text.Documents;

namespace CogLtx.Judge;

/// <summary>
/// Block scores from token logits (spec §3, §5.2; memreplay.py <c>mem_replay</c> and introspector_module.py): a
/// block's score is the mean of σ(logit) over all its tokens, separator included.
/// </summary>
public static class BlockScoring
{
    /// <summary>σ(x) = 1 / (1 + e^(−x)), computed without overflow for large |x|.</summary>
    public static float Sigmoid(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    /// <summary>Mean σ over <paramref name="span"/> of one row of logits.</summary>
    public static float MeanSigmoid(ReadOnlySpan<float> rowLogits, TokenSpan span)
    {
        if (span.Length <= 0) throw new ArgumentException($"cannot score an empty token span {span}");
        if (span.Start < 0 || span.End > rowLogits.Length)
            throw new ArgumentException($"token span {span} outside a row of {rowLogits.Length} logits");
        var sum = 0.0;
        for (var t = span.Start; t < span.End; t++) sum += Sigmoid(rowLogits[t]);
        return (float)(sum / span.Length);
    }

    /// <summary>The score of every block of <paramref name="input"/>, in input order, from its row of logits.</summary>
    public static float[] Scores(ReadOnlySpan<float> rowLogits, AssembledInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scores = new float[input.Blocks.Length];
        for (var i = 0; i < scores.Length; i++) scores[i] = MeanSigmoid(rowLogits, input.BlockSpans[i]);
        return scores;
    }
}
