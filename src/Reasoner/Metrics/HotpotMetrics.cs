using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner.Metrics;

/// <summary>Answer, supporting-fact and joint scores of one HotpotQA prediction.</summary>
public sealed record HotpotScore(Prf Answer, Prf SupportingFacts, Prf Joint);

/// <summary>
/// HotpotQA's official metrics (hotpot_evaluate_v1.py <c>update_answer</c>, <c>update_sp</c>, joint): supporting
/// facts are scored as sets (EM = no false positive and no false negative); joint precision and recall are the
/// products of the answer's and the facts', joint EM = answer EM · sp EM.
/// </summary>
public static class HotpotMetrics
{
    /// <summary>Set precision/recall/F1/EM of predicted against gold facts (duplicates collapse, as Python sets).</summary>
    public static Prf SupportingFactScore(IEnumerable<SupportingFact> predicted, IEnumerable<SupportingFact> gold)
    {
        var pred = predicted.ToHashSet();
        var goldSet = gold.ToHashSet();
        var tp = pred.Count(goldSet.Contains);
        var fp = pred.Count - tp;
        var fn = goldSet.Count(g => !pred.Contains(g));
        var precision = tp + fp > 0 ? (double)tp / (tp + fp) : 0.0;
        var recall = tp + fn > 0 ? (double)tp / (tp + fn) : 0.0;
        var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new Prf(fp + fn == 0 ? 1.0 : 0.0, f1, precision, recall);
    }

    /// <summary>Joint score: P = P_ans·P_sp, R = R_ans·R_sp, F1 from those, EM = EM_ans·EM_sp.</summary>
    public static Prf Joint(Prf answer, Prf supportingFacts)
    {
        var p = answer.Precision * supportingFacts.Precision;
        var r = answer.Recall * supportingFacts.Recall;
        var f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
        return new Prf(answer.ExactMatch * supportingFacts.ExactMatch, f1, p, r);
    }

    /// <summary>All three scores of one example.</summary>
    public static HotpotScore Score(string predictedAnswer, string goldAnswer,
        IEnumerable<SupportingFact> predictedFacts, IEnumerable<SupportingFact> goldFacts)
    {
        var answer = AnswerMetrics.Score(predictedAnswer, goldAnswer, exactOnlyForYesNo: true);
        var sp = SupportingFactScore(predictedFacts, goldFacts);
        return new HotpotScore(answer, sp, Joint(answer, sp));
    }

    /// <summary>Means over examples (the official script divides the sums by the number of gold questions).</summary>
    public static HotpotScore Mean(IReadOnlyCollection<HotpotScore> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("no scores to average", nameof(scores));
        return new HotpotScore(
            MeanOf(scores.Select(s => s.Answer)),
            MeanOf(scores.Select(s => s.SupportingFacts)),
            MeanOf(scores.Select(s => s.Joint)));
    }

    /// <summary>Component-wise mean of <paramref name="items"/>.</summary>
    public static Prf MeanOf(IEnumerable<Prf> items)
    {
        double em = 0, f1 = 0, p = 0, r = 0;
        var n = 0;
        foreach (var x in items)
        {
            em += x.ExactMatch; f1 += x.F1; p += x.Precision; r += x.Recall;
            n++;
        }
        if (n == 0) throw new ArgumentException("no scores to average", nameof(items));
        return new Prf(em / n, f1 / n, p / n, r / n);
    }
}
