using CogLtx.Tensors;
using System.Text;
using CogLtx.Text.Documents;

namespace CogLtx.Data;

/// <summary>A synthetic document: text, sentences (evidence flagged), evidence spans in the order given, and each evidence sentence's first token index.</summary>
internal sealed record AssembledDocument(string Text, IReadOnlyList<Sentence> Sentences, IReadOnlyList<CharSpan> EvidenceSpans, IReadOnlyList<int> EvidenceTokenStarts);

/// <summary>
/// Buries evidence sentences among distractors. Lengths are basic-token counts; since sentences are joined by
/// whitespace, a sentence's first token index is the sum of the counts before it. Late evidence starts at or after
/// <see cref="SyntheticOptions.LateEvidenceStart"/>, anywhere up to the end; early evidence ends by
/// <see cref="SyntheticOptions.EarlyEvidenceEnd"/>. Paragraph breaks fall every 4–9 sentences.
/// </summary>
internal static class DocumentAssembler
{
    /// <param name="targetTokens">Document length to reach (distractors are drawn until the total, evidence included, reaches it).</param>
    /// <param name="nextDistractor">Draws one distractor sentence.</param>
    /// <param name="evidence">Sentences that decide the answer or label.</param>
    /// <param name="late">Place the evidence past the truncation window (else inside it).</param>
    public static AssembledDocument Build(int targetTokens, Func<string> nextDistractor, IReadOnlyList<string> evidence, bool late,
        SyntheticOptions options, Rng rng)
    {
        var evidenceTokens = evidence.Select(BasicTokenization.Count).ToList();
        var distractors = new List<string>();
        var starts = new List<int> { 0 };
        var total = evidenceTokens.Sum();
        while (total < targetTokens)
        {
            var sentence = nextDistractor();
            distractors.Add(sentence);
            var count = BasicTokenization.Count(sentence);
            total += count;
            starts.Add(starts[^1] + count);
        }

        // Candidate insertion points: "before distractor i" (i = distractors.Count: at the end), by its token offset.
        var evidenceTotal = evidenceTokens.Sum();
        var candidates = Enumerable.Range(0, distractors.Count + 1)
            .Where(i => late ? starts[i] >= options.LateEvidenceStart : starts[i] + evidenceTotal <= options.EarlyEvidenceEnd)
            .ToList();
        if (candidates.Count == 0)
            throw new InvalidOperationException($"no room for {(late ? "late" : "early")} evidence in a {total}-token document");
        var slots = evidence.Select(_ => rng.Pick(candidates)).Order().ToList();

        // Interleave: evidence k goes before distractor slots[k]; several evidence sentences at one slot keep their order.
        var order = new List<(string Sentence, int Evidence)>();
        var next = 0;
        for (var i = 0; i <= distractors.Count; i++)
        {
            while (next < slots.Count && slots[next] == i) { order.Add((evidence[next], next)); next++; }
            if (i < distractors.Count) order.Add((distractors[i], -1));
        }

        var text = new StringBuilder();
        var sentences = new List<Sentence>(order.Count);
        var evidenceSpans = new CharSpan[evidence.Count];
        var evidenceStarts = new int[evidence.Count];
        var tokens = 0;
        var untilBreak = rng.NextInclusive(4, 9);
        for (var i = 0; i < order.Count; i++)
        {
            if (i > 0)
            {
                if (--untilBreak == 0) { text.Append("\n\n"); untilBreak = rng.NextInclusive(4, 9); }
                else text.Append(' ');
            }
            var (sentence, k) = order[i];
            var span = new CharSpan(text.Length, text.Length + sentence.Length);
            text.Append(sentence);
            sentences.Add(new Sentence(null, i, span, k >= 0));
            if (k >= 0) { evidenceSpans[k] = span; evidenceStarts[k] = tokens; }
            tokens += k >= 0 ? evidenceTokens[k] : BasicTokenization.Count(sentence);
        }
        return new AssembledDocument(text.ToString(), sentences, evidenceSpans, evidenceStarts);
    }
}
