using System.Text;
using System.Text.Json;
using CogLtx.Data;
using CogLtx.Text.Input;

namespace CogLtx.Training.Pretraining;

/// <summary>One document of a pre-training corpus, with where it starts (file and 1-based line) for error messages.</summary>
public sealed record CorpusDocument(string Text, string Source, long Line);

/// <summary>
/// Streams the documents of pre-training corpus files, one line at a time (a file is never read whole). A path may be a
/// file or a folder (its <c>*.txt</c> and <c>*.jsonl</c> files, recursively, in ordinal order). A <c>.jsonl</c> file
/// holds one JSON object per line whose string field <c>textField</c> is a document; any other file is plain text in
/// which a blank line ends a document (a paragraph), and a document longer than <see cref="MaxDocumentChars"/> is cut
/// there. Text must be strict UTF-8: invalid bytes are an error naming the file and line.
/// </summary>
public static class CorpusReader
{
    /// <summary>Plain-text documents are cut at this length so that a file without blank lines still streams.</summary>
    public const int MaxDocumentChars = 1 << 16;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The corpus files named by <paramref name="paths"/> (folders expanded), checked to exist.</summary>
    public static IReadOnlyList<string> Files(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new FileNotFoundException($"corpus folder {path} holds no .txt or .jsonl file");
                files.AddRange(found);
            }
            else throw new FileNotFoundException($"corpus path not found: {path}");
        }
        if (files.Count == 0) throw new ArgumentException("no corpus path given");
        return files;
    }

    /// <summary>The documents of <paramref name="files"/>, in order; empty documents are skipped.</summary>
    public static IEnumerable<CorpusDocument> Read(IEnumerable<string> files, string textField = "text")
    {
        foreach (var file in files)
        {
            var documents = file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? ReadJsonl(file, textField) : ReadText(file);
            foreach (var document in documents) yield return document;
        }
    }

    private static IEnumerable<CorpusDocument> ReadText(string file)
    {
        var text = new StringBuilder();
        long start = 0;
        foreach (var (line, number) in Lines(file))
        {
            if (line.Trim().Length == 0 || text.Length + line.Length > MaxDocumentChars)
            {
                if (text.Length > 0) yield return new CorpusDocument(text.ToString(), file, start);
                text.Clear();
                if (line.Trim().Length == 0) continue;
            }
            if (text.Length == 0) start = number;
            else text.Append('\n');
            text.Append(line);
        }
        if (text.Length > 0) yield return new CorpusDocument(text.ToString(), file, start);
    }

    private static IEnumerable<CorpusDocument> ReadJsonl(string file, string textField)
    {
        foreach (var (line, number) in Lines(file))
        {
            if (line.Trim().Length == 0) continue;
            string? text;
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InvalidDataException($"{file}:{number}: expected a JSON object, found {json.RootElement.ValueKind}");
                if (!json.RootElement.TryGetProperty(textField, out var field) || field.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{file}:{number}: expected a string field \"{textField}\"");
                text = field.GetString();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{number}: not valid JSON: {e.Message}", e);
            }
            if (!string.IsNullOrWhiteSpace(text)) yield return new CorpusDocument(text, file, number);
        }
    }

    /// <summary>The lines of <paramref name="file"/> with 1-based numbers, decoded as strict UTF-8.</summary>
    private static IEnumerable<(string Line, long Number)> Lines(string file)
    {
        using var reader = new StreamReader(file, Strict, detectEncodingFromByteOrderMarks: false);
        long number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                // Name the first bad byte as every reader of the tool does; only this error path reads the file whole.
                Utf8Input.Decode(File.ReadAllBytes(file), file);
                throw;
            }
            if (line is null) yield break;
            number++;
            if (number == 1 && line.StartsWith('\uFEFF')) line = line[1..];
            yield return (line, number);
        }
    }
}
