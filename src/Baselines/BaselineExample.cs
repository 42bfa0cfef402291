using CogLtx.Reasoner.Decoding;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines;

/// <summary>
/// The gold answer of a span-QA example for the baselines: the inclusive document-token range
/// [<see cref="Start"/>, <see cref="End"/>], or, when <see cref="QuerySlot"/> is set, the query token that stands for
/// the answer (the HotpotQA "yes" / "no" slots of spec §2, placed before the question exactly as CogLTX places them).
/// </summary>
public readonly record struct AnswerTarget(int Start, int End, int? QuerySlot = null)
{
    /// <summary>An answer given by query token <paramref name="queryIndex"/> (0-based within the query ids).</summary>
    public static AnswerTarget Slot(int queryIndex) => new(-1, -1, queryIndex);
}

/// <summary>
/// One long-text problem as token ids, the common input of every baseline: the query tokens (the question, with any
/// slot words first; empty for classification) and the whole document's tokens, plus the target: a class
/// <see cref="Label"/> or an <see cref="Answer"/>. An example without a target can be predicted but not trained on.
/// </summary>
public sealed record BaselineExample(string Id, int[] QueryIds, int[] DocumentIds)
{
    /// <summary>Class id (classification).</summary>
    public int? Label { get; init; }

    /// <summary>Gold answer (span QA); null when the answer could not be located in the document.</summary>
    public AnswerTarget? Answer { get; init; }

    /// <summary>Query token index → what an answer pointing at it means (yes / no / no answer).</summary>
    public IReadOnlyDictionary<int, AnswerKind> QuerySlots { get; init; } = SpanLayout.NoSlots;

    /// <summary>True when the example can be trained on for <paramref name="spanQa"/> (an answer) or classification (a label).</summary>
    public bool HasTarget(bool spanQa) => spanQa ? Answer is not null : Label is not null;
}

/// <summary>
/// A baseline's answer for one example: the class (classification) or the answer (span QA), with the class logits or
/// the span score it came from.
/// </summary>
/// <param name="Label">Predicted class id; −1 for span QA.</param>
/// <param name="ClassLogits">The logits behind <paramref name="Label"/> (empty for span QA).</param>
/// <param name="Answer">The predicted answer (null for classification).</param>
public sealed record BaselinePrediction(int Label, float[] ClassLogits, SpanAnswer? Answer);

/// <summary>
/// A predicted answer: for <see cref="AnswerKind.Span"/> the inclusive document-token range
/// [<see cref="Start"/>, <see cref="End"/>]; for a query slot its kind (yes / no / no answer) with Start = End = −1;
/// <see cref="AnswerKind.NotInContext"/> when the model points at [CLS] everywhere.
/// </summary>
public readonly record struct SpanAnswer(AnswerKind Kind, int Start, int End, float Score);
