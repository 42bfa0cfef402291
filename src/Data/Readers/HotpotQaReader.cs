using System.Text;
using System.Text.Json;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Input;

namespace CogLtx.Data;

/// <summary>
/// HotpotQA distractor files, official schema (<c>_id, question, answer, type, level, supporting_facts
/// [[title, sentence_index]], context [[title, [sentences]]]</c>), as a JSON list (hotpot_train_v1.1.json,
/// hotpot_dev_distractor_v1.json) or JSON Lines.
/// <para>
/// <see cref="LongDocExample.Text"/> is the ten paragraphs in file order, each "title\n" followed by its sentences
/// concatenated as given (they carry their own leading spaces), paragraphs separated by a blank line. Every
/// non-blank sentence becomes a <see cref="Sentence"/> (paragraph title, index within the paragraph, trimmed span);
/// supporting facts flag their sentences and fill <see cref="LongDocExample.RelevantSpans"/> (CogLTX relevance 1,
/// spec §7). Answers "yes"/"no" become <see cref="AnswerKind.Yes"/>/<see cref="AnswerKind.No"/>; any other answer is a
/// span located inside the supporting sentences first, then anywhere in the sentences (ordinal, then ignoring
/// case, as CogLTX lower-cases everything). A fact whose title or index does not exist stays in
/// <see cref="LongDocExample.SupportingFacts"/> (the official metric counts it) but flags nothing.
/// </para>
/// </summary>
public static class HotpotQaReader
{
    /// <summary>Reads a HotpotQA JSON (or JSON Lines) file; malformed records fail or are skipped as <paramref name="onError"/> says.</summary>
    public static ReadResult<LongDocExample> Read(string path, OnError onError = OnError.Fail)
    {
        var sink = new IssueSink(onError);
        var examples = new List<LongDocExample>();
        foreach (var record in JsonRecords.Read(path, sink))
        {
            LongDocExample? example = null;
            try
            {
                example = Map(record.Element);
            }
            catch (FieldException e)
            {
                var id = record.Element.TryGetProperty("_id", out var v) && v.ValueKind == JsonValueKind.String && JsonText.TryGetString(v, out var idText) ? $" (_id {idText})" : "";
                sink.Report(new DataIssue(path, null, record.Line, $"HotpotQA element #{record.Index}{id}: {e.Message}"), e);
            }
            if (example is not null) examples.Add(example);
        }
        return new ReadResult<LongDocExample>(examples, sink.Skipped);
    }

    private static LongDocExample Map(JsonElement obj)
    {
        var id = JsonFields.RequiredString(obj, "_id");
        var question = JsonFields.RequiredString(obj, "question");
        var answerText = JsonFields.RequiredString(obj, "answer");
        var facts = new List<SupportingFact>();
        foreach (var fact in JsonFields.RequiredArray(obj, "supporting_facts").EnumerateArray())
        {
            var pair = JsonFields.AsArray(fact, "a supporting fact");
            facts.Add(new SupportingFact(
                JsonFields.AsString(JsonFields.At(pair, 0, "a supporting fact"), "supporting fact title"),
                JsonFields.AsInt(JsonFields.At(pair, 1, "a supporting fact"), "supporting fact sentence index")));
        }
        var factSet = facts.Select(f => (f.Title, f.SentenceIndex)).ToHashSet();

        var text = new StringBuilder();
        var sentences = new List<Sentence>();
        foreach (var paragraph in JsonFields.RequiredArray(obj, "context").EnumerateArray())
        {
            var pair = JsonFields.AsArray(paragraph, "a context paragraph");
            var title = JsonFields.AsString(JsonFields.At(pair, 0, "a context paragraph"), "paragraph title");
            var lines = JsonFields.AsArray(JsonFields.At(pair, 1, "a context paragraph"), $"sentences of paragraph '{title}'");
            if (text.Length > 0) text.Append("\n\n");
            text.Append(title).Append('\n');
            var index = 0;
            foreach (var line in lines.EnumerateArray())
            {
                var sentence = JsonFields.AsString(line, $"sentence {index} of paragraph '{title}'");
                var start = text.Length;
                text.Append(sentence);
                var span = Trimmed(sentence, start);
                if (!span.IsEmpty) sentences.Add(new Sentence(title, index, span, factSet.Contains((title, index))));
                index++;
            }
        }
        var document = text.ToString();
        var metadata = new Dictionary<string, string>();
        if (JsonFields.OptionalString(obj, "type") is { } type) metadata["type"] = type;
        if (JsonFields.OptionalString(obj, "level") is { } level) metadata["level"] = level;
        var supporting = sentences.Where(s => s.IsSupporting).ToList();
        return new LongDocExample
        {
            Id = id,
            Text = document,
            Question = question,
            Answer = answerText switch
            {
                "yes" => Answer.Yes,
                "no" => Answer.No,
                _ => Answer.Span(answerText, LocateAnswer(document, answerText, supporting, sentences)),
            },
            Sentences = sentences,
            SupportingFacts = facts,
            RelevantSpans = [.. supporting.Select(s => s.Span)],
            Metadata = metadata,
        };
    }

    private static CharSpan Trimmed(string sentence, int offset)
    {
        var start = 0;
        var end = sentence.Length;
        while (start < end && char.IsWhiteSpace(sentence[start])) start++;
        while (end > start && char.IsWhiteSpace(sentence[end - 1])) end--;
        return new CharSpan(offset + start, offset + end);
    }

    /// <summary>Occurrences of the answer inside the first search that finds any: supporting sentences before all sentences, ordinal before case-insensitive.</summary>
    private static IReadOnlyList<CharSpan> LocateAnswer(string text, string answer, List<Sentence> supporting, List<Sentence> all)
    {
        if (answer.Length == 0) return [];
        foreach (var group in new[] { supporting, all })
            foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
            {
                var spans = new List<CharSpan>();
                foreach (var sentence in group)
                {
                    var from = sentence.Span.Start;
                    while (from < sentence.Span.End)
                    {
                        var at = text.IndexOf(answer, from, sentence.Span.End - from, comparison);
                        if (at < 0) break;
                        spans.Add(new CharSpan(at, at + answer.Length));
                        from = at + answer.Length;
                    }
                }
                if (spans.Count > 0) return spans;
            }
        return [];
    }
}
