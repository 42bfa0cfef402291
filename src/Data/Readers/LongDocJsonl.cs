using System.Text;
using System.Text.Json;
using CogLtx.Tensors.Io;
using CogLtx.Text.Documents;
using CogLtx.Text.Input;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// The JSON Lines format for users' own long-document data (documented in src/Data/README.md): one object per line,
/// <c>{"id", "text", "title", "label" | "labels", "question", "answer": {"text", "start"}, "relevant": [[s, e], ...],
/// "meta": {...}}</c>. Offsets count Unicode code points, as Python's <c>str</c> indexing does, end exclusive; they are
/// converted to UTF-16 spans on reading and back on writing. Every answer span is checked against the text.
/// A JSON list of the same objects is accepted too.
/// </summary>
public static class LongDocJsonl
{
    private static readonly HashSet<string> KnownFields = ["id", "text", "title", "label", "labels", "question", "answer", "relevant", "meta"];

    /// <summary>Reads one file; see the type remarks for the fields.</summary>
    public static ReadResult<LongDocExample> Read(string path, OnError onError = OnError.Fail) => Read(path, onError, out _);

    private static ReadResult<LongDocExample> Read(string path, OnError onError, out bool anyLabelList)
    {
        anyLabelList = false;
        var sink = new IssueSink(onError);
        var examples = new List<LongDocExample>();
        foreach (var record in JsonRecords.Read(path, sink))
        {
            LongDocExample? example = null;
            try
            {
                example = Map(record.Element, $"{Path.GetFileName(path)}:{record.Line}", out var labelList);
                anyLabelList |= labelList;
            }
            catch (FieldException e)
            {
                sink.Report(new DataIssue(path, null, record.Line, e.Message), e);
            }
            if (example is not null) examples.Add(example);
        }
        return new ReadResult<LongDocExample>(examples, sink.Skipped);
    }

    /// <summary>
    /// A dataset from a train file and an optional test file. The task kind follows the data: any "question" →
    /// <see cref="ReasonerTask.SpanQa"/> (then every example needs one), else any "labels" → <see cref="ReasonerTask.MultiLabel"/>,
    /// else <see cref="ReasonerTask.Classification"/>. Label names are the sorted distinct labels.
    /// </summary>
    public static Dataset ReadDataset(string name, string trainPath, string? testPath = null, OnError onError = OnError.Fail)
    {
        var train = Read(trainPath, onError, out var trainLabelLists);
        if (train.Items.Count == 0)
            throw new DataFormatException(new DataIssue(trainPath, null, null,
                train.Skipped.Count == 0 ? "no examples: the file is empty or blank" : $"no examples: all {train.Skipped.Count} records were skipped"));
        var testLabelLists = false;
        var test = testPath is null ? new ReadResult<LongDocExample>([], []) : Read(testPath, onError, out testLabelLists);
        var all = train.Items.Concat(test.Items).ToList();
        var questions = all.Count(e => e.Question is not null);
        if (questions > 0 && questions < all.Count)
        {
            var first = all.First(e => e.Question is null);
            throw new DataFormatException(new DataIssue(trainPath, null, null,
                $"{questions} of {all.Count} examples have a 'question' but example '{first.Id}' has none; a dataset is either QA or classification"));
        }
        var kind = questions > 0 ? ReasonerTask.SpanQa
            : trainLabelLists || testLabelLists ? ReasonerTask.MultiLabel
            : ReasonerTask.Classification;
        return new Dataset(name, kind, Dataset.SortedLabels(all), train.Items, test.Items)
        {
            Skipped = [.. train.Skipped, .. test.Skipped],
        };
    }

    /// <summary>
    /// Writes examples in this format (sentences and supporting facts are not part of it and are dropped).
    /// <paramref name="multiLabel"/> writes "labels" lists even for one label.
    /// </summary>
    public static void Write(IEnumerable<LongDocExample> examples, string path, bool multiLabel = false)
    {
        AtomicFile.WriteStream(path, stream => WriteTo(stream, examples, multiLabel));
    }

    private static void WriteTo(Stream stream, IEnumerable<LongDocExample> examples, bool multiLabel)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        var newline = "\n"u8.ToArray();
        foreach (var example in examples)
        {
            var offsets = CodePointOffsets.For(example.Text);
            json.WriteStartObject();
            json.WriteString("id", example.Id);
            json.WriteString("text", example.Text);
            if (example.Title is not null) json.WriteString("title", example.Title);
            if (multiLabel || example.Labels.Count > 1)
            {
                json.WriteStartArray("labels");
                foreach (var label in example.Labels) json.WriteStringValue(label);
                json.WriteEndArray();
            }
            else if (example.Labels.Count == 1) json.WriteString("label", example.Labels[0]);
            if (example.Question is not null) json.WriteString("question", example.Question);
            if (example.Answer is { } answer) WriteAnswer(json, answer, offsets);
            if (example.RelevantSpans.Count > 0)
            {
                json.WriteStartArray("relevant");
                foreach (var span in example.RelevantSpans)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(offsets.FromUtf16(span.Start));
                    json.WriteNumberValue(offsets.FromUtf16(span.End));
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            if (example.Metadata.Count > 0)
            {
                json.WriteStartObject("meta");
                foreach (var (key, value) in example.Metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.Flush();
            stream.Write(newline);
            json.Reset();
        }
    }

    private static void WriteAnswer(Utf8JsonWriter json, Answer answer, CodePointOffsets offsets)
    {
        json.WriteStartObject("answer");
        json.WriteString("text", answer.Text);
        if (answer.Kind == AnswerKind.Span && answer.Spans.Count == 1) json.WriteNumber("start", offsets.FromUtf16(answer.Spans[0].Start));
        else if (answer.Kind == AnswerKind.Span && answer.Spans.Count > 1)
        {
            json.WriteStartArray("start");
            foreach (var span in answer.Spans) json.WriteNumberValue(offsets.FromUtf16(span.Start));
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static LongDocExample Map(JsonElement obj, string defaultId, out bool hasLabelList)
    {
        foreach (var property in obj.EnumerateObject())
            if (!KnownFields.Contains(property.Name))
                throw new FieldException($"unknown field '{property.Name}' (known: {string.Join(", ", KnownFields)}; put extra attributes under \"meta\")");
        var text = JsonFields.RequiredString(obj, "text");
        var id = JsonFields.OptionalString(obj, "id") ?? defaultId;
        var offsets = CodePointOffsets.For(text);
        var hasLabel = JsonFields.Optional(obj, "label") is not null;
        var labelList = JsonFields.Optional(obj, "labels");
        hasLabelList = labelList is not null;
        if (hasLabel && labelList is not null) throw new FieldException($"example {id}: give either 'label' or 'labels', not both");
        IReadOnlyList<string> labels = hasLabel
            ? [JsonFields.RequiredString(obj, "label")]
            : labelList is { } list
                ? [.. JsonFields.AsArray(list, "field 'labels'").EnumerateArray().Select(l => JsonFields.AsString(l, "an item of 'labels'"))]
                : [];
        var question = JsonFields.OptionalString(obj, "question");
        if (question is null && !hasLabel && labelList is null)
            throw new FieldException($"example {id}: expected 'label' or 'labels' (classification) or 'question' (QA), found none");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.Optional(obj, "meta") is { } meta)
        {
            if (meta.ValueKind != JsonValueKind.Object) throw new FieldException($"example {id}: field 'meta' must be an object, found {meta.ValueKind}");
            foreach (var property in meta.EnumerateObject())
                metadata[JsonFields.Name(property, "a key of 'meta'")] = property.Value.ValueKind == JsonValueKind.String ? JsonFields.AsString(property.Value, $"field 'meta.{property.Name}'") : property.Value.GetRawText();
        }

        var relevant = new List<CharSpan>();
        if (JsonFields.Optional(obj, "relevant") is { } spans)
            foreach (var pair in JsonFields.AsArray(spans, "field 'relevant'").EnumerateArray())
            {
                var items = JsonFields.AsArray(pair, "an item of 'relevant'");
                if (items.GetArrayLength() != 2) throw new FieldException($"example {id}: an item of 'relevant' must be [start, end], found {items.GetRawText()}");
                var (s, e) = (JsonFields.AsInt(items[0], "a relevant start"), JsonFields.AsInt(items[1], "a relevant end"));
                relevant.Add(ToSpan(s, e, offsets, id, "relevant span"));
            }
        relevant.Sort((a, b) => a.Start.CompareTo(b.Start));

        return new LongDocExample
        {
            Id = id,
            Text = text,
            Title = JsonFields.OptionalString(obj, "title"),
            Labels = labels,
            Question = question,
            Answer = question is null ? null : ReadAnswer(obj, text, offsets, id),
            RelevantSpans = relevant,
            Metadata = metadata,
        };
    }

    private static Answer ReadAnswer(JsonElement obj, string text, CodePointOffsets offsets, string id)
    {
        if (JsonFields.Optional(obj, "answer") is not { } answer || answer.ValueKind != JsonValueKind.Object)
        {
            if (JsonFields.Optional(obj, "answer") is { } other) throw new FieldException($"example {id}: field 'answer' must be an object {{\"text\", \"start\"}}, found {other.ValueKind}");
            return Answer.None;
        }
        var answerText = JsonFields.RequiredString(answer, "text");
        var start = JsonFields.Optional(answer, "start");
        if (start is null)
            return answerText switch
            {
                "yes" => Answer.Yes,
                "no" => Answer.No,
                "" => Answer.None,
                _ => throw new FieldException($"example {id}: answer '{answerText}' needs a 'start' offset (only \"yes\", \"no\" and \"\" stand alone)"),
            };
        var starts = start.Value.ValueKind == JsonValueKind.Array
            ? start.Value.EnumerateArray().Select(s => JsonFields.AsInt(s, "an answer start")).ToList()
            : [JsonFields.AsInt(start.Value, "field 'answer.start'")];
        var answerLength = answerText.EnumerateRunes().Count();
        var spans = new List<CharSpan>();
        foreach (var s in starts)
        {
            var span = ToSpan(s, s + answerLength, offsets, id, "answer span");
            var found = text[span.Start..span.End];
            if (found != answerText)
                throw new FieldException($"example {id}: answer text '{answerText}' not found at start {s}; the text there is '{found}' (offsets count code points)");
            spans.Add(span);
        }
        return Answer.Span(answerText, spans);
    }

    private static CharSpan ToSpan(int start, int end, CodePointOffsets offsets, string id, string what)
    {
        var length = offsets.Length;
        if (start < 0 || end < start || end > length)
            throw new FieldException($"example {id}: {what} [{start}, {end}) is outside the text of {length} code points");
        return new CharSpan(offsets.ToUtf16(start), offsets.ToUtf16(end));
    }
}
