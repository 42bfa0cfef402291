using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// One long-text example, the common currency of every reader and generator. All spans are
/// <see cref="CharSpan"/>s of UTF-16 code units into <see cref="Text"/>, the unit of <c>Token.Start/End</c>, so a
/// trainer tokenizes <see cref="Text"/> once and maps answer, sentence and relevance spans onto tokens with
/// <see cref="SpanMapping.ToTokenRange(CharSpan, IReadOnlyList{CogLtx.Text.Tokenization.Token})"/>.
/// <para>
/// Classification: <see cref="Labels"/> holds one label (multi-label: several), <see cref="Question"/> is null.
/// Span QA: <see cref="Question"/> and <see cref="Answer"/> are set. The CogLTX query conventions (HotpotQA
/// "yes no " + lower-cased question, NewsQA "None " + question; spec §2) belong to the model, not to the data.
/// </para>
/// </summary>
public sealed record LongDocExample
{
    /// <summary>Identifier unique within its dataset (file id, HotpotQA <c>_id</c>, generator index).</summary>
    public required string Id { get; init; }

    /// <summary>The long document.</summary>
    public required string Text { get; init; }

    /// <summary>Document title when the source has one (BBC first line, hyperpartisan <c>title</c>); it is also the first line of <see cref="Text"/>.</summary>
    public string? Title { get; init; }

    /// <summary>The question for QA tasks; null for classification.</summary>
    public string? Question { get; init; }

    /// <summary>Label names (see <see cref="Dataset.LabelNames"/> for ids): one for single-label, several for multi-label, none for QA.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The gold answer for QA tasks.</summary>
    public Answer? Answer { get; init; }

    /// <summary>
    /// Sentences with their spans when the source defines them (HotpotQA context sentences, synthetic documents);
    /// supporting sentences are relevant blocks for the judge (spec §1, HotpotQA relevance 1).
    /// </summary>
    public IReadOnlyList<Sentence>? Sentences { get; init; }

    /// <summary>HotpotQA gold supporting facts as given in the file (title, sentence index), including any that do not resolve to a sentence.</summary>
    public IReadOnlyList<SupportingFact>? SupportingFacts { get; init; }

    /// <summary>Spans marked relevant (supporting sentences, evidence, user-given spans), sorted by start; empty when unknown.</summary>
    public IReadOnlyList<CharSpan> RelevantSpans { get; init; } = [];

    /// <summary>Free-form attributes of the source (HotpotQA <c>type</c> and <c>level</c>, 20 Newsgroups split).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>The single label of a single-label example.</summary>
    public string Label => Labels.Count == 1
        ? Labels[0]
        : throw new InvalidOperationException($"example {Id} has {Labels.Count} labels, not exactly one");

    /// <summary>The text a span covers.</summary>
    public string Slice(CharSpan span)
    {
        if (span.Start < 0 || span.End > Text.Length || span.End < span.Start)
            throw new ArgumentOutOfRangeException(nameof(span), $"example {Id}: span {span} is outside its text of length {Text.Length}");
        return Text[span.Start..span.End];
    }

    /// <summary>A one-line summary (the record default would print the whole document).</summary>
    public override string ToString() =>
        $"{Id}: {Text.Length} chars, labels [{string.Join(", ", Labels)}]" + (Question is null ? "" : $", question \"{Question}\", answer {Answer?.Kind} \"{Answer?.Text}\"");

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}

/// <summary>A gold answer: its text and, for <see cref="AnswerKind.Span"/>, every located occurrence in the document.</summary>
public sealed record Answer(AnswerKind Kind, string Text, IReadOnlyList<CharSpan> Spans)
{
    /// <summary>The answer "yes" (HotpotQA comparison questions).</summary>
    public static Answer Yes { get; } = new(AnswerKind.Yes, "yes", []);

    /// <summary>The answer "no" (HotpotQA comparison questions).</summary>
    public static Answer No { get; } = new(AnswerKind.No, "no", []);

    /// <summary>No answer in the document.</summary>
    public static Answer None { get; } = new(AnswerKind.NoAnswer, "", []);

    /// <summary>A span answer: its text and where it occurs in the document.</summary>
    public static Answer Span(string text, params IReadOnlyList<CharSpan> spans) => new(AnswerKind.Span, text, spans);

    /// <summary>True when the answer is a span that occurs in the document at least once.</summary>
    public bool IsLocated => Kind == AnswerKind.Span && Spans.Count > 0;
}

/// <summary>
/// One sentence of a document: paragraph <paramref name="Title"/> (HotpotQA) or null, its index within the
/// paragraph (HotpotQA) or the document, its span in the text, and whether it supports the answer or label.
/// </summary>
public sealed record Sentence(string? Title, int Index, CharSpan Span, bool IsSupporting);
