using System.Text.Json;
using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

public sealed class JsonlTokenizationTests
{
    private static ITokenizer Bert => TokenizerFixtures.Get("uncased/tokenizer.json");

    private static string[] Run(string input, int? maxLength = null)
    {
        using var output = new MemoryStream();
        JsonlTokenization.Run(Bert, new StringReader(input), output, maxLength);
        return System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Run_WritesOneLinePerInputWithIdsTypeIdsAndUtf16Offsets()
    {
        var lines = Run("{\"text\": \"I love 🤗 and 🍕!\"}\n{\"text\": \"Who?\", \"text_pair\": \"Me.\"}\n{\"text\": \"x\", \"text_pair\": null}\n");
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var expected = Bert.Encode("I love 🤗 and 🍕!");
        Assert.Equal(expected.Ids, first.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(expected.TypeIds, first.RootElement.GetProperty("type_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([(0, 0), (0, 1), (2, 6), (7, 9), (10, 13), (14, 16), (16, 17), (0, 0)],
            first.RootElement.GetProperty("offsets").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32())));
        Assert.Equal("""{"ids":[101,2040,1029,102,2033,1012,102],"type_ids":[0,0,0,0,1,1,1],"offsets":[[0,0],[0,3],[3,4],[0,0],[0,2],[2,3],[0,0]]}""", lines[1]);
    }

    [Fact]
    public void Run_MaxLength_Truncates()
    {
        var line = Assert.Single(Run("{\"text\": \"hello world again\"}", maxLength: 3));
        Assert.Equal("""{"ids":[101,7592,102],"type_ids":[0,0,0],"offsets":[[0,0],[0,5],[0,0]]}""", line);
    }

    [Theory]
    [InlineData("{\"text\": \"ok\"}\n{\"text\": \"broken\"\n", "line 2: malformed JSON")]
    [InlineData("{\"texts\": \"ok\"}", "line 1: expected a \"text\" string")]
    [InlineData("[1, 2]", "line 1: expected a JSON object, found Array")]
    [InlineData("{\"text\": \"a\", \"text_pair\": 3}", "line 1: \"text_pair\" must be a string or null, found Number")]
    [InlineData("{\"text\": \"a\"}\n\n", "line 2: malformed JSON")]
    [InlineData("{\"text\": \"a\\ud83d\"}", "line 1: \"text\" escapes a lone surrogate")]                        // was an InvalidOperationException
    [InlineData("{\"text\": \"a\", \"text_pair\": \"\\udc00b\"}", "line 1: \"text_pair\" escapes a lone surrogate")]
    public void Run_MalformedLine_ThrowsNamingTheLine(string input, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Run(input));
        Assert.StartsWith(message, e.Message);
    }
}
