namespace CogLtx.Data.Tests;

/// <summary>The JSON splitter under every reader of JSON: errors name the line; skip mode counts and goes on.</summary>
public sealed class JsonRecordsTests
{
    private static string Write(TempDir temp, string name, byte[] bytes)
    {
        var path = temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_JsonLines_SkipModeCountsBadLinesAndKeepsTheRest()
    {
        using var temp = new TempDir();
        var bytes = new List<byte>();
        bytes.AddRange(Utf8("{\"a\": 1}\n{\"a\": \n{\"a\": 3}\n"));
        bytes.AddRange(Utf8("{\"a\": \"caf")); bytes.Add(0xE9); bytes.AddRange(Utf8("\"}\n"));
        bytes.AddRange(Utf8("[1, 2]\n\n{\"a\": 6}\r\n"));
        var path = Write(temp, "mixed.jsonl", [.. bytes]);

        var sink = new IssueSink(OnError.Skip);
        var records = JsonRecords.Read(path, sink).Select(r => (r.Line, r.Element.GetProperty("a").GetInt32())).ToList();
        Assert.Equal([(1L, 1), (3L, 3), (7L, 6)], records);
        Assert.Equal([2L, 4L, 5L], sink.Skipped.Select(i => i.Line!.Value));
        Assert.StartsWith("invalid JSON at column", sink.Skipped[0].Problem);
        Assert.Equal("invalid UTF-8 byte 0xE9 at byte offset 35 (line 4, column 11); expected UTF-8 text (is the file Latin-1?)", sink.Skipped[1].Problem);
        Assert.Equal("expected a JSON object, found Array", sink.Skipped[2].Problem);
    }

    [Fact]
    public void Read_JsonLines_FailModeStopsAtTheFirstBadLine()
    {
        using var temp = new TempDir();
        var path = Write(temp, "bad.jsonl", Utf8("{\"a\": 1}\n{\"a\": }\n"));
        var error = Assert.Throws<DataFormatException>(() => JsonRecords.Read(path, new IssueSink(OnError.Fail)).ToList());
        Assert.StartsWith("bad.jsonl:2: invalid JSON at column 7", error.Message);
    }

    [Fact]
    public void Read_JsonList_ReportsElementLinesAndStrings()
    {
        using var temp = new TempDir();
        var path = Write(temp, "list.json", Utf8("\uFEFF[\n  {\"s\": \"a]b,\\\"}\"},\n\n  {\"s\": \"x\"}\n]\n"));
        var records = JsonRecords.Read(path, new IssueSink(OnError.Fail)).Select(r => (r.Index, r.Line, r.Element.GetProperty("s").GetString())).ToList();
        Assert.Equal([(0, 2L, "a]b,\"}"), (1, 4L, "x")], records);
    }

    [Theory]
    [InlineData("[{\"a\": 1}, {\"a\": 2}", "list.json:1: file ends after 2 elements without the closing ']' (truncated JSON?)")]
    [InlineData("[{\"a\": 1},\n {\"a\": [2, 3", "list.json:2: file ends inside element #1 that starts at line 2 (truncated JSON?)")]
    [InlineData("[{\"a\": 1} {\"a\": 2}]", "list.json:1: expected ',' or ']' after element #0, found '{'")]
    [InlineData("[{\"a\": 1}] x", "list.json:1: unexpected 'x' after the closing ']' of the list")]
    public void Read_BrokenJsonList_FailsWithLine(string content, string message)
    {
        using var temp = new TempDir();
        var path = Write(temp, "list.json", Utf8(content));
        var error = Assert.Throws<DataFormatException>(() => JsonRecords.Read(path, new IssueSink(OnError.Fail)).ToList());
        Assert.Equal(message, error.Message);
    }
}
