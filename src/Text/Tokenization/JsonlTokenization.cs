using System.Text.Json;
using CogLtx.Text.Input;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Batch tokenization over JSON Lines, the body of <c>cogltx tokenize</c>. Each input line is an object
/// <c>{"text": "...", "text_pair": "..."}</c> (<c>text_pair</c> optional or null); each output line is
/// <c>{"ids": [...], "type_ids": [...], "offsets": [[start, end], ...]}</c> with special tokens, offsets in UTF-16
/// code units of the line's text (or of its text_pair, for the pair's tokens), or in code points as Hugging Face's
/// <c>offset_mapping</c> gives them (<see cref="OffsetUnit.CodePoints"/>). One output line per input line.
/// </summary>
public static class JsonlTokenization
{
    /// <summary>Tokenizes every line of <paramref name="input"/> into <paramref name="output"/>; returns the number of lines.</summary>
    /// <exception cref="InvalidDataException">A line is not a JSON object with a "text" string; the message names the line.</exception>
    public static int Run(ITokenizer tokenizer, TextReader input, Stream output, int? maxLength = null, OffsetUnit offsets = OffsetUnit.Utf16)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            var (text, pair) = ParseLine(line, lineNumber);
            var encoding = tokenizer.Encode(text, pair, addSpecialTokens: true, maxLength);
            var units = offsets == OffsetUnit.Utf16 ? null : new[] { CodePointOffsets.For(text), CodePointOffsets.For(pair ?? "") };
            writer.WriteStartObject();
            writer.WriteStartArray("ids");
            foreach (var id in encoding.Ids) writer.WriteNumberValue(id);
            writer.WriteEndArray();
            writer.WriteStartArray("type_ids");
            foreach (var typeId in encoding.TypeIds) writer.WriteNumberValue(typeId);
            writer.WriteEndArray();
            writer.WriteStartArray("offsets");
            for (var t = 0; t < encoding.Offsets.Length; t++)
            {
                var (start, end) = encoding.Offsets[t];
                var sequence = encoding.SequenceIds?[t] ?? 0;
                if (units is not null && sequence >= 0) (start, end) = units[sequence].FromUtf16(start, end);
                writer.WriteStartArray();
                writer.WriteNumberValue(start);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset(output);
        }
        output.Flush();
        return lineNumber;
    }

    private static (string Text, string? Pair) ParseLine(string line, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"line {lineNumber}: malformed JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"line {lineNumber}: expected a JSON object, found {root.ValueKind}");
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"line {lineNumber}: expected a \"text\" string");
            string? pair = null;
            if (root.TryGetProperty("text_pair", out var pairElement) && pairElement.ValueKind != JsonValueKind.Null)
            {
                pair = pairElement.ValueKind == JsonValueKind.String
                    ? JsonText.GetString(pairElement, $"line {lineNumber}: \"text_pair\"")
                    : throw new InvalidDataException($"line {lineNumber}: \"text_pair\" must be a string or null, found {pairElement.ValueKind}");
            }
            return (JsonText.GetString(text, $"line {lineNumber}: \"text\""), pair);
        }
    }
}
