using System.Text.Json.Serialization;
using CogLtx.Reasoner.Decoding;
using CogLtx.Splitter;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;

namespace CogLtx.Training;

/// <summary>
/// What a CogLTX model solves, how text becomes blocks and how the reasoner's output becomes an answer (saved with
/// every checkpoint, so inference builds its inputs and decodes exactly as training's evaluation did). Chosen from the
/// data set by <see cref="Jobs.JobSetup.TaskFor"/>, the one place both <c>cogltx train</c> and <c>cogltx experiment</c>
/// take it from.
/// </summary>
public sealed record TaskSetup
{
    /// <summary>Reasoner head.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ReasonerTask>))]
    public ReasonerTask Task { get; init; } = ReasonerTask.SpanQa;

    /// <summary>Class names in id order (classification and multi-label; empty for QA).</summary>
    public IReadOnlyList<string> LabelNames { get; init; } = [];

    /// <summary>
    /// Span QA: words put before the question whose single token is an answer slot in the query block (spec §2):
    /// HotpotQA "yes no " (positions 1 and 2), NewsQA "None " (position 1). Each must be one token of the
    /// tokenizer. Empty = no slots.
    /// </summary>
    public IReadOnlyList<string> QuerySlots { get; init; } = [];

    /// <summary>
    /// How documents are split (spec §1, §9.1): <see cref="SplitMode.Sentence"/> uses the sentences a dataset gives
    /// (HotpotQA, synthetic) or else the segmenter's, one mode-S block group per sentence; <see cref="SplitMode.Dp"/>
    /// packs the whole token list with the dynamic program (several sentences per block) even when sentences are given.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SplitMode>))]
    public SplitMode SplitMode { get; init; } = SplitMode.Sentence;

    /// <summary>
    /// Span decoding constants (spec §6): HotpotQA's (short answers) or NewsQA's. A manifest written before this field
    /// existed reads as NewsQA's, the predictor's default then.
    /// </summary>
    public SpanDecodingOptions Decoding { get; init; } = SpanDecodingOptions.NewsQa;

    /// <summary>How supporting facts are predicted (spec §6, §9.10); older manifests read as the released heuristic.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SupportingFactMode>))]
    public SupportingFactMode SupportingFacts { get; init; } = SupportingFactMode.Heuristic;

    /// <summary>Multi-label training: irrelevant label queries drawn per positive one (spec §4 / [P] §4.4 label-article pairs).</summary>
    public int NegativeLabelsPerPositive { get; init; } = 1;

    /// <summary>The slot word that answers "yes", if configured.</summary>
    public const string YesSlot = "yes";

    /// <summary>The slot word that answers "no", if configured.</summary>
    public const string NoSlot = "no";

    /// <summary>The slot word for "no answer" (NewsQA writes "None"; lower-cased here for uncased vocabularies).</summary>
    public const string NoAnswerSlot = "none";

    /// <summary>What a query slot word answers: yes, no, or "no answer".</summary>
    public static AnswerKind SlotKind(string slot) => slot switch
    {
        YesSlot => AnswerKind.Yes,
        NoSlot => AnswerKind.No,
        NoAnswerSlot => AnswerKind.NoAnswer,
        _ => throw new ArgumentException($"unknown query slot \"{slot}\" (known: {YesSlot}, {NoSlot}, {NoAnswerSlot})", nameof(slot)),
    };

    /// <summary>Throws naming the first inconsistent field.</summary>
    public TaskSetup Validate()
    {
        if (Task != ReasonerTask.SpanQa && LabelNames.Count == 0)
            throw new ArgumentException($"task {Task} needs label names");
        if (Task == ReasonerTask.Classification && LabelNames.Count < 2)
            throw new ArgumentException($"classification needs at least 2 labels, got {LabelNames.Count}");
        if (Task != ReasonerTask.SpanQa && QuerySlots.Count > 0)
            throw new ArgumentException($"query slots are a span-QA setting; task {Task} has [{string.Join(", ", QuerySlots)}]");
        var unknown = QuerySlots.FirstOrDefault(s => s is not (YesSlot or NoSlot or NoAnswerSlot));
        if (unknown is not null) throw new ArgumentException($"unknown query slot \"{unknown}\" (known: {YesSlot}, {NoSlot}, {NoAnswerSlot})");
        if (QuerySlots.Distinct().Count() != QuerySlots.Count) throw new ArgumentException($"query slots repeat: [{string.Join(", ", QuerySlots)}]");
        if (NegativeLabelsPerPositive < 0) throw new ArgumentException($"{nameof(NegativeLabelsPerPositive)} must be ≥ 0, got {NegativeLabelsPerPositive}");
        return this;
    }
}
