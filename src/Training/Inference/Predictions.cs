using CogLtx.MemRecall;
using CogLtx.Reasoner.Decoding;
using CogLtx.Reasoner.Metrics;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Training.Inference;

/// <summary>A block the reasoner saw: its position, character span and text in the original document, and its score (MemRecall's fine score; NaN without MemRecall).</summary>
public sealed record KeyBlock(long Position, CharSpan Span, string Text, float Score, BlockOrigin? Origin);

/// <summary>A span-QA answer with the evidence it was read from.</summary>
/// <param name="Answer">The answer text ("yes"/"no" for the slots, "" for no answer or an answer outside the selected blocks).</param>
/// <param name="AnswerSpan">The answer's characters in the document, for <see cref="AnswerKind.Span"/>.</param>
/// <param name="Score">start + end logit of the chosen pair (with its penalty).</param>
/// <param name="KeyBlocks">The document blocks of z, in reading order.</param>
/// <param name="Trace">MemRecall's per-step trace; null when the blocks were chosen without MemRecall.</param>
/// <param name="SupportingFacts">Predicted supporting sentences (documents with sentence origins).</param>
public sealed record QaPrediction(string Answer, AnswerKind Kind, CharSpan? AnswerSpan, float Score, IReadOnlyList<KeyBlock> KeyBlocks,
    MemRecallResult? Trace, IReadOnlyList<SupportingFact> SupportingFacts);

/// <summary>A classification (or one multi-label query's) prediction.</summary>
/// <param name="LabelId">Argmax class (multi-label: 1 = the queried label applies).</param>
/// <param name="Probabilities">Softmax over the classes.</param>
public sealed record ClassPrediction(int LabelId, float Probability, IReadOnlyList<float> Probabilities, IReadOnlyList<KeyBlock> KeyBlocks, MemRecallResult? Trace);

/// <summary>How supporting facts are chosen (spec §6, §9.10).</summary>
public enum SupportingFactMode
{
    /// <summary>run_hotpotqa.py: the answer's sentence, then new paragraphs by fine score up to 2 facts, then same-paragraph sentences above the threshold.</summary>
    Heuristic,

    /// <summary>[P]: the two document blocks with the highest fine scores.</summary>
    TopFine,
}
