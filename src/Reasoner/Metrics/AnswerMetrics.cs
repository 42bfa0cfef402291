using System.Text;
using System.Text.RegularExpressions;

namespace CogLtx.Reasoner.Metrics;

/// <summary>Precision, recall, F1 and exact match of one prediction (or their means over a set).</summary>
public readonly record struct Prf(double ExactMatch, double F1, double Precision, double Recall)
{
    /// <summary>All zero.</summary>
    public static Prf Zero { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// The SQuAD / HotpotQA answer metrics (hotpot_evaluate_v1.py <c>normalize_answer</c>, <c>f1_score</c>,
/// <c>exact_match_score</c>; spec §6 "Evaluation"): lower-case, drop ASCII punctuation, drop the articles
/// a/an/the, squeeze whitespace; F1 over the bag of normalised words.
/// </summary>
public static partial class AnswerMetrics
{
    /// <summary>Answers that must match exactly in HotpotQA scoring: a partial word overlap with them earns nothing.</summary>
    public static IReadOnlySet<string> ExactOnlyAnswers { get; } = new HashSet<string>(StringComparer.Ordinal) { "yes", "no", "noanswer" };

    /// <summary>Python's <c>string.punctuation</c>: the 32 ASCII punctuation characters.</summary>
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Articles();

    /// <summary>lower → remove punctuation → remove articles → squeeze whitespace (the official order).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        var noPunct = new StringBuilder(lower.Length);
        foreach (var c in lower)
            if (AsciiPunctuation.IndexOf(c) < 0) noPunct.Append(c);
        var noArticles = Articles().Replace(noPunct.ToString(), " ");
        return string.Join(' ', SplitWords(noArticles));
    }

    /// <summary>1 when the normalised strings are equal.</summary>
    public static bool ExactMatch(string prediction, string gold) => Normalize(prediction) == Normalize(gold);

    /// <summary>
    /// Word-bag F1 between the normalised answers. With <paramref name="exactOnlyForYesNo"/> (HotpotQA) a
    /// prediction or gold equal to yes/no/noanswer scores 0 unless both are equal (SQuAD has no such rule).
    /// </summary>
    public static Prf Score(string prediction, string gold, bool exactOnlyForYesNo = true)
    {
        var p = Normalize(prediction);
        var g = Normalize(gold);
        var em = p == g ? 1.0 : 0.0;
        if (exactOnlyForYesNo && p != g && (ExactOnlyAnswers.Contains(p) || ExactOnlyAnswers.Contains(g)))
            return Prf.Zero;
        var predWords = SplitWords(p);
        var goldWords = SplitWords(g);
        var goldCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in goldWords) goldCounts[w] = goldCounts.GetValueOrDefault(w) + 1;
        var same = 0;
        foreach (var w in predWords)
        {
            if (goldCounts.TryGetValue(w, out var c) && c > 0)
            {
                same++;
                goldCounts[w] = c - 1;
            }
        }
        if (same == 0) return new Prf(em, 0, 0, 0);
        var precision = (double)same / predWords.Length;
        var recall = (double)same / goldWords.Length;
        return new Prf(em, 2 * precision * recall / (precision + recall), precision, recall);
    }

    /// <summary>The best score against several gold answers (SQuAD's <c>metric_max_over_ground_truths</c>), by F1 then EM.</summary>
    public static Prf ScoreBest(string prediction, IEnumerable<string> golds, bool exactOnlyForYesNo = true)
    {
        var best = (Prf?)null;
        foreach (var gold in golds)
        {
            var s = Score(prediction, gold, exactOnlyForYesNo);
            if (best is null || s.F1 > best.Value.F1 || (s.F1 == best.Value.F1 && s.ExactMatch > best.Value.ExactMatch)) best = s;
        }
        return best ?? throw new ArgumentException("no gold answers to score against", nameof(golds));
    }

    /// <summary>Python's <c>str.split()</c>: runs of Unicode whitespace separate words; no empty words.</summary>
    private static string[] SplitWords(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || char.IsWhiteSpace(text[i]);
            if (boundary)
            {
                if (start >= 0) words.Add(text[start..i]);
                start = -1;
            }
            else if (start < 0) start = i;
        }
        return [.. words];
    }
}
