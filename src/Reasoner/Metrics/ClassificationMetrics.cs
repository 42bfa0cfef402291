namespace CogLtx.Reasoner.Metrics;

/// <summary>Accuracy with micro- and macro-averaged F1 (spec §7 Tables 3 and 4).</summary>
public sealed record ClassificationScore(double Accuracy, double MicroF1, double MacroF1, int Count);

/// <summary>
/// Classification metrics. Single-label: accuracy = fraction of exact hits; micro F1 over one-label sets (equal to
/// accuracy). Multi-label (Alibaba, [P] Table 4): accuracy = fraction of documents whose predicted label set equals
/// the gold set (subset accuracy); micro F1 from the pooled true/false positives/negatives; macro F1 = mean of
/// per-label F1 over the labels present in gold or prediction (scikit-learn's default label set; a label with no
/// gold and no prediction is left out rather than counted as 0 or 1).
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Single-label scores; <paramref name="predicted"/>[i] and <paramref name="gold"/>[i] are class indices.</summary>
    public static ClassificationScore SingleLabel(IReadOnlyList<int> predicted, IReadOnlyList<int> gold)
    {
        if (predicted.Count != gold.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {gold.Count} gold labels");
        return MultiLabel(
            predicted.Select(p => (IReadOnlySet<int>)new HashSet<int> { p }).ToList(),
            gold.Select(g => (IReadOnlySet<int>)new HashSet<int> { g }).ToList());
    }

    /// <summary>Multi-label scores over label sets.</summary>
    public static ClassificationScore MultiLabel(IReadOnlyList<IReadOnlySet<int>> predicted, IReadOnlyList<IReadOnlySet<int>> gold)
    {
        if (predicted.Count != gold.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {gold.Count} gold label sets");
        if (gold.Count == 0) throw new ArgumentException("no examples to score", nameof(gold));
        var counts = new Dictionary<int, (int Tp, int Fp, int Fn)>();
        var exact = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            if (predicted[i].SetEquals(gold[i])) exact++;
            foreach (var label in predicted[i].Union(gold[i]))
            {
                var (tp, fp, fn) = counts.GetValueOrDefault(label);
                var inPred = predicted[i].Contains(label);
                var inGold = gold[i].Contains(label);
                counts[label] = (tp + (inPred && inGold ? 1 : 0), fp + (inPred && !inGold ? 1 : 0), fn + (!inPred && inGold ? 1 : 0));
            }
        }
        var sumTp = counts.Values.Sum(c => c.Tp);
        var sumFp = counts.Values.Sum(c => c.Fp);
        var sumFn = counts.Values.Sum(c => c.Fn);
        var micro = F1(sumTp, sumFp, sumFn);
        var macro = counts.Count == 0 ? 0.0 : counts.Values.Average(c => F1(c.Tp, c.Fp, c.Fn));
        return new ClassificationScore((double)exact / gold.Count, micro, macro, gold.Count);
    }

    /// <summary>F1 = 2tp / (2tp + fp + fn), 0 when the denominator is 0.</summary>
    public static double F1(int tp, int fp, int fn) => 2 * tp + fp + fn == 0 ? 0.0 : 2.0 * tp / (2 * tp + fp + fn);
}
