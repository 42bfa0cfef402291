using System.Text.Json;
using System.Text.Unicode;

namespace CogLtx.Data;

/// <summary>One top-level JSON object of a file: its 0-based index, the 1-based line it starts on, and the object.</summary>
internal readonly record struct JsonRecord(int Index, long Line, JsonElement Element);

/// <summary>
/// Streams the objects of a JSON Lines file (one object per line) or of a JSON list (<c>[{...}, {...}]</c>, the
/// official HotpotQA layout), recognised by the first non-blank byte. Each object is cut out by a small bracket
/// scanner that counts lines, then parsed alone, so every problem names the line: invalid UTF-8, invalid JSON,
/// a non-object element, a file that ends inside an element (truncated download). Memory stays at one element,
/// so a 500 MB list streams.
/// <para>The element is valid until the enumeration moves on (its document is then disposed); map it at once.</para>
/// </summary>
internal static class JsonRecords
{
    public static IEnumerable<JsonRecord> Read(string path, IssueSink sink)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"JSON file not found: {path}", path);
        using var scanner = new ByteScanner(path);
        scanner.SkipBom();
        scanner.SkipWhitespace();
        if (scanner.Peek() == '[')
        {
            scanner.Next();
            foreach (var record in ReadList(path, scanner, sink)) yield return record;
        }
        else
        {
            foreach (var record in ReadLines(path, scanner, sink)) yield return record;
        }
    }

    private static IEnumerable<JsonRecord> ReadLines(string path, ByteScanner scanner, IssueSink sink)
    {
        var line = new List<byte>(4096);
        var index = 0;
        while (scanner.Peek() >= 0)
        {
            var lineNumber = scanner.Line;
            var lineOffset = scanner.Offset;
            line.Clear();
            int b;
            while ((b = scanner.Next()) >= 0 && b != '\n') line.Add((byte)b);
            if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
            if (line.TrueForAll(c => c is (byte)' ' or (byte)'\t')) continue;
            using var document = Parse(path, line.ToArray(), lineOffset, lineNumber, sink);
            if (document is not null) yield return new JsonRecord(index, lineNumber, document.RootElement);
            index++;
        }
    }

    private static IEnumerable<JsonRecord> ReadList(string path, ByteScanner scanner, IssueSink sink)
    {
        var element = new List<byte>(8192);
        var index = 0;
        while (true)
        {
            scanner.SkipWhitespace();
            var b = scanner.Peek();
            if (b < 0)
            {
                sink.Report(new DataIssue(path, null, scanner.Line, $"file ends after {index} elements without the closing ']' (truncated JSON?)"));
                yield break;
            }
            if (b == ']')
            {
                scanner.Next();
                scanner.SkipWhitespace();
                if (scanner.Peek() >= 0)
                    sink.Report(new DataIssue(path, null, scanner.Line, $"unexpected '{(char)scanner.Peek()}' after the closing ']' of the list"));
                yield break;
            }
            var startLine = scanner.Line;
            var startOffset = scanner.Offset;
            if (!scanner.CaptureValue(element))
            {
                sink.Report(new DataIssue(path, null, scanner.Line, $"file ends inside element #{index} that starts at line {startLine} (truncated JSON?)"));
                yield break;
            }
            using (var document = Parse(path, element.ToArray(), startOffset, startLine, sink))
            {
                if (document is not null) yield return new JsonRecord(index, startLine, document.RootElement);
            }
            index++;
            scanner.SkipWhitespace();
            var separator = scanner.Peek();
            if (separator == ',') scanner.Next();
            else if (separator != ']' && separator >= 0)
            {
                sink.Report(new DataIssue(path, null, scanner.Line, $"expected ',' or ']' after element #{index - 1}, found '{(char)separator}'"));
                yield break;
            }
        }
    }

    /// <summary>Parses one element; reports and returns null when it is not valid UTF-8, not JSON, or not an object.</summary>
    private static JsonDocument? Parse(string path, byte[] bytes, long firstOffset, long firstLine, IssueSink sink)
    {
        if (!Utf8.IsValid(bytes))
        {
            sink.Report(TextDecoding.InvalidUtf8(path, null, bytes, firstOffset, firstLine));
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
            var column = e.BytePositionInLine is { } p ? $" at column {p + 1}" : "";
            sink.Report(new DataIssue(path, null, firstLine + (e.LineNumber ?? 0), $"invalid JSON{column}: {message}"), e);
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            sink.Report(new DataIssue(path, null, firstLine, $"expected a JSON object, found {kind}"));
            return null;
        }
        return document;
    }

    /// <summary>Buffered byte reader that counts lines and cuts one JSON value out by bracket depth.</summary>
    private sealed class ByteScanner(string path) : IDisposable
    {
        private readonly FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        private readonly byte[] buffer = new byte[1 << 16];
        private int length, position;

        /// <summary>1-based line of the next byte.</summary>
        public long Line { get; private set; } = 1;

        /// <summary>0-based byte offset of the next byte in the file.</summary>
        public long Offset { get; private set; }

        public int Peek()
        {
            if (position == length && !Fill()) return -1;
            return buffer[position];
        }

        public int Next()
        {
            var b = Peek();
            if (b < 0) return -1;
            position++;
            Offset++;
            if (b == '\n') Line++;
            return b;
        }

        public void SkipBom()
        {
            if (Peek() != 0xEF) return;
            Next(); Next(); Next();
        }

        public void SkipWhitespace()
        {
            while (Peek() is ' ' or '\t' or '\r' or '\n') Next();
        }

        /// <summary>
        /// Copies one JSON value (object, array or scalar) into <paramref name="into"/>, tracking strings and escapes;
        /// false when the file ends first. A scalar ends before the next ',', ']' or whitespace outside a string.
        /// </summary>
        public bool CaptureValue(List<byte> into)
        {
            into.Clear();
            int depth = 0;
            bool inString = false, escaped = false;
            while (true)
            {
                var b = Peek();
                if (b < 0) return depth == 0 && into.Count > 0 && !inString;
                if (!inString && depth == 0 && into.Count > 0 && b is ',' or ']' or ' ' or '\t' or '\r' or '\n') return true;
                Next();
                into.Add((byte)b);
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == '\\') escaped = true;
                    else if (b == '"') inString = false;
                    continue;
                }
                if (b == '"') inString = true;
                else if (b is '{' or '[') depth++;
                else if (b is '}' or ']')
                {
                    depth--;
                    if (depth <= 0) return true;
                }
            }
        }

        private bool Fill()
        {
            length = stream.Read(buffer, 0, buffer.Length);
            position = 0;
            return length > 0;
        }

        public void Dispose() => stream.Dispose();
    }
}
