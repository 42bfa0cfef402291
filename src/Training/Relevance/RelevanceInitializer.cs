using System.Text;
using CogLtx.Text.Documents;

namespace CogLtx.Training.Relevance;

/// <summary>
/// Relevance initialisation before training (spec §5.5; initialize_relevance.py, <c>--init_relevance bm25|glove</c>):
/// blocks that look like the query get relevance ≥ 1, so the judge has positives before interventions start.
/// A block is marked when 1 − score/scale &lt; <see cref="CogLtxOptions.InitThreshold"/> (0.15).
/// </summary>
public static class RelevanceInitializer
{
    private static readonly string[] SpecialMarkers = ["</s>", "<pad>", "<s>"];

    /// <summary>
    /// initialize_relevance.py <c>remove_special_split</c>: drops <c>&lt;s&gt; &lt;/s&gt; &lt;pad&gt;</c>, turns every non-word
    /// character (not a letter, number or '_', as Python's <c>\W</c>) into a space, lower-cases (invariant), splits.
    /// </summary>
    public static List<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var marker in SpecialMarkers) text = text.Replace(marker, " ", StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) || Rune.IsNumber(rune) || rune.Value == '_') builder.Append(Rune.ToLowerInvariant(rune).ToString());
            else builder.Append(' ');
        }
        return [.. builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>
    /// BM25 initialisation of one example (initialize_relevance.py <c>_init_relevance_bm25</c>): BM25 over the
    /// document blocks' words as corpus, the query's words as query; if the best score is positive, every block with
    /// 1 − score/max &lt; threshold gets relevance max(relevance, 1). Returns whether the example was initialised.
    /// </summary>
    /// <param name="blockText">Text of a block (e.g. the tokenizer's decoding of its ids).</param>
    /// <param name="queryText">The query text; null = <see cref="QueryText"/>.</param>
    public static bool InitBm25(ExampleBlocks example, Func<Block, string> blockText, string? queryText = null, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(blockText);
        options ??= CogLtxOptions.Default;
        var corpus = example.DocumentBlocks.Select(b => (IReadOnlyList<string>)Words(blockText(b))).ToList();
        var query = Words(queryText ?? QueryText(example, blockText));
        var scores = new Bm25(corpus, options.Bm25K1, options.Bm25B, options.Bm25Epsilon).Scores(query);
        if (scores.Length == 0) return false;
        var max = scores.Max();
        if (!(max > 0)) return false;
        for (var i = 0; i < scores.Length; i++)
            if (1 - scores[i] / max < options.InitThreshold) Promote(example.DocumentBlocks[i]);
        return true;
    }

    /// <summary>
    /// The query an initialisation searches for (spec §5.5): the label name carried by the query block, with '.'
    /// read as a space ("soc.religion.christian" → "soc religion christian"), when there is one (classification: the
    /// query block is only [CLS][SEP]; multi-label: the block holds the label name); else the query blocks' texts
    /// (QA: the question).
    /// </summary>
    public static string QueryText(ExampleBlocks example, Func<Block, string> blockText)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(blockText);
        if (example.QueryBlocks.Select(b => b.LabelName).FirstOrDefault(n => n is not null) is { } label) return label.Replace('.', ' ');
        return string.Concat(example.QueryBlocks.Select(b => blockText(b) + "\n"));
    }

    private static void Promote(Block block) => block.Relevance = Math.Max(block.Relevance, 1);
}
