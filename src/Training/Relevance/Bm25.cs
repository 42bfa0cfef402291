namespace CogLtx.Training.Relevance;

/// <summary>
/// Okapi BM25 exactly as gensim 3.8 <c>gensim/summarization/bm25.py</c> (the version CogLTX's
/// initialize_relevance.py uses; the module was removed in gensim 4):
/// idf(w) = ln(N − n(w) + 0.5) − ln(n(w) + 0.5), with n(w) the documents containing w; words with negative idf get
/// ε·mean(idf) instead, the mean taken over the raw idf values (negative ones included);
/// score(q, d) = Σ over query words w in d (repeats counted) of idf(w)·f(w,d)·(k1 + 1) / (f(w,d) + k1·(1 − b + b·|d|/avgdl)).
/// </summary>
public sealed class Bm25
{
    private readonly List<Dictionary<string, int>> frequencies = [];
    private readonly List<int> lengths = [];
    private readonly Dictionary<string, double> idf = new(StringComparer.Ordinal);
    private readonly double k1, b, averageLength;

    /// <summary>BM25 over <paramref name="corpus"/> (each entry a document's words), with gensim 3.x's parameters.</summary>
    public Bm25(IReadOnlyList<IReadOnlyList<string>> corpus, double k1 = 1.5, double b = 0.75, double epsilon = 0.25)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        this.k1 = k1;
        this.b = b;
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var totalLength = 0L;
        foreach (var document in corpus)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var word in document) counts[word] = counts.GetValueOrDefault(word) + 1;
            frequencies.Add(counts);
            lengths.Add(document.Count);
            totalLength += document.Count;
            foreach (var word in counts.Keys) documentFrequency[word] = documentFrequency.GetValueOrDefault(word) + 1;
        }
        var n = corpus.Count;
        averageLength = n == 0 ? 0 : (double)totalLength / n;

        var negative = new List<string>();
        var sum = 0.0;
        foreach (var (word, count) in documentFrequency)
        {
            var value = Math.Log(n - count + 0.5) - Math.Log(count + 0.5);
            idf[word] = value;
            sum += value;
            if (value < 0) negative.Add(word);
        }
        // gensim divides by the vocabulary size unguarded; an empty vocabulary leaves nothing to score.
        AverageIdf = idf.Count == 0 ? 0 : sum / idf.Count;
        foreach (var word in negative) idf[word] = epsilon * AverageIdf;
    }

    /// <summary>Number of documents.</summary>
    public int Count => frequencies.Count;

    /// <summary>Mean of the raw idf values (before the ε floor).</summary>
    public double AverageIdf { get; }

    /// <summary>The idf used in scores (after the ε floor); 0 for a word no document contains.</summary>
    public double Idf(string word) => idf.GetValueOrDefault(word);

    /// <summary>BM25 score of <paramref name="query"/> against document <paramref name="index"/> (gensim <c>get_score</c>).</summary>
    public double Score(IReadOnlyList<string> query, int index)
    {
        ArgumentNullException.ThrowIfNull(query);
        var counts = frequencies[index];
        var score = 0.0;
        foreach (var word in query)
        {
            if (!counts.TryGetValue(word, out var f)) continue;
            score += idf[word] * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths[index] / averageLength));
        }
        return score;
    }

    /// <summary>Scores against every document (gensim <c>get_scores</c>).</summary>
    public double[] Scores(IReadOnlyList<string> query)
    {
        var scores = new double[Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = Score(query, i);
        return scores;
    }
}
