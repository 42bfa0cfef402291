using System.Text;
using System.Text.Json;
using CogLtx.Tests.Shared;

namespace CogLtx.Cli.Tests;

/// <summary>
/// Seeded property tests of every command that takes text (issue 13 item 4): empty and white-space-only input, random
/// Unicode (outside the BMP, combining marks, control characters; lone surrogates through JSON escapes), random
/// bytes, one planted invalid UTF-8 sequence, and a line of several MB. Each run either succeeds with well-formed
/// output or exits non-zero with a message on stderr (no stack trace, nothing on stdout); a planted bad byte is
/// always named by its byte offset. A fixed, small number of runs per command keeps this under a minute.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InputPropertyTests(CliFixture fixture)
{
    private static readonly string Tokenizer = Cli.Fixture("tokenizers", "bert-base-uncased");

    /// <summary>Plain-text documents: blank, random Unicode, random bytes, and valid text with one bad sequence (its offset, else -1).</summary>
    private static IEnumerable<(byte[] Bytes, int BadOffset)> Documents(int seed, int count)
    {
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return (i % 4) switch
            {
                0 => (Encoding.UTF8.GetBytes(RandomInputs.Whitespace(rng, 20)), -1),
                1 => (Encoding.UTF8.GetBytes(RandomInputs.Unicode(rng, 300)), -1),
                2 => (RandomInputs.Bytes(rng, 300), -1),
                _ => RandomInputs.Corrupt(rng, RandomInputs.Unicode(rng, 200)),
            };
        }
    }

    [Fact]
    public void Split_AnyInput_GivesBlocksInsideTheTextOrAClearError()
    {
        foreach (var mode in new[] { "dp", "sentence" })
        {
            foreach (var (bytes, bad) in Documents(1321, 4))
                CheckSplit(bytes, bad, mode);
            var huge = RandomInputs.HugeLine(new Random(1322), 3 << 20, unbroken: mode == "sentence");
            CheckSplit(Encoding.UTF8.GetBytes(huge), -1, mode);
        }
    }

    [Fact]
    public void Tokenize_AnyJsonLines_GivesOneLinePerInputOrAClearError()
    {
        var rng = new Random(1323);
        for (var i = 0; i < 4; i++)
        {
            var texts = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => i % 3 == 2 ? RandomInputs.WithLoneSurrogates(rng, 30) : RandomInputs.Unicode(rng, 60)).ToList();
            var input = string.Concat(texts.Select(t => $"{{\"text\": {RandomInputs.JsonString(t)}}}\n"));
            var run = Cli.RunBytes(Encoding.UTF8.GetBytes(input), "tokenize", "--tokenizer", Tokenizer);
            if (i % 3 == 2) Cli.Fails(run, "lone surrogate");
            else
            {
                var lines = Cli.Ok(run).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(texts.Count, lines.Length);
                for (var k = 0; k < lines.Length; k++)
                {
                    using var doc = JsonDocument.Parse(lines[k]);
                    foreach (var pair in doc.RootElement.GetProperty("offsets").EnumerateArray())
                        Assert.InRange(pair[1].GetInt32(), pair[0].GetInt32(), texts[k].Length);
                }
            }
        }
        foreach (var (bytes, bad) in Documents(1324, 4))
            Check(Cli.RunBytes(bytes, "tokenize", "--tokenizer", Tokenizer), bad, json: true);
        var huge = $"{{\"text\": \"{RandomInputs.HugeLine(rng, 2 << 20, unbroken: false)}\"}}";
        Assert.Single(Cli.Ok(Cli.RunBytes(Encoding.UTF8.GetBytes(huge), "tokenize", "--tokenizer", Tokenizer)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Predict_AnyJsonLines_GivesOneResultPerLineOrAClearError()
    {
        var rng = new Random(1325);
        for (var i = 1; i < 4; i++)
        {
            var text = i switch { 1 => RandomInputs.Whitespace(rng, 20), 2 => RandomInputs.Unicode(rng, 400), _ => RandomInputs.WithLoneSurrogates(rng, 40) };
            var input = $"{{\"question\": {RandomInputs.JsonString(RandomInputs.Unicode(rng, 10) + "?")}, \"text\": {RandomInputs.JsonString(text)}}}\n";
            Check(Cli.RunBytes(Encoding.UTF8.GetBytes(input), "predict", "--model", fixture.QaModel), -1, json: true);
        }
        foreach (var (bytes, bad) in Documents(1326, 4))
            Check(Cli.RunBytes(bytes, "predict", "--model", fixture.QaModel), bad, json: true);
    }

    [Fact]
    public void Recall_AnyDocument_ShowsTheStepsOrAClearError()
    {
        foreach (var (bytes, bad) in Documents(1327, 5))
            Check(Cli.RunBytes(bytes, "recall", "--model", fixture.QaModel, "--query", "Who?"), bad, json: false);
    }

    [Fact]
    public void TrainOnJsonl_BrokenOrBlankFiles_FailWithAClearError()
    {
        using var dir = new TempDir();
        var rng = new Random(1328);
        var good = "{\"text\": \"a b c\", \"label\": \"x\"}\n{\"text\": \"d e f\", \"label\": \"y\"}\n";
        var (corrupt, offset) = RandomInputs.Corrupt(rng, good);
        var cases = new (byte[] Bytes, string[] Fragments)[]
        {
            (corrupt, ["train.jsonl", $"byte offset {offset} "]),
            (Encoding.UTF8.GetBytes(RandomInputs.Whitespace(rng, 10)), ["train.jsonl"]),
            (RandomInputs.Bytes(rng, 200), ["train.jsonl"]),
            (Encoding.UTF8.GetBytes($"{{\"text\": {RandomInputs.JsonString(RandomInputs.WithLoneSurrogates(rng, 10))}, \"label\": \"x\"}}\n"), ["train.jsonl:1", "lone surrogate"]),
        };
        foreach (var (bytes, fragments) in cases)
        {
            File.WriteAllBytes(dir.File("train.jsonl"), bytes);
            Cli.Fails(Cli.Run(null, "train", "--out", dir.File("model"), "--data", "jsonl", "--train-file", dir.File("train.jsonl"),
                "--epochs", "1", "--layers", "1", "--hidden", "16", "--heads", "2", "--no-eval"), fragments);
        }
    }

    [Fact]
    public void Encode_RandomBytesAsInput_FailsWithAClearError()
    {
        using var dir = new TempDir();
        var rng = new Random(1329);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllBytes(dir.File("in.safetensors"), RandomInputs.Bytes(rng, 64 << i));
            Cli.Fails(Cli.Run(null, "encode", "--model", Cli.Fixture("models", "bert-tiny"), "--input", dir.File("in.safetensors"), "--output", dir.File("out.safetensors")), "in.safetensors");
            Assert.False(File.Exists(dir.File("out.safetensors")));
        }
    }

    [Fact]
    public void Recall_ControlCombiningAndAstralCharacters_PrintAsPreview()
    {
        // Regression: recall's table crashed inside Spectre (IndexOutOfRangeException in Cell.GetCellLength) on such text.
        var document = "Bell\u0007 e\u0301t\u00E9 \u200B\uE000 \U0001F600 \u0085\u2028end. " + string.Concat(Enumerable.Repeat("word ", 40));
        Cli.Ok(Cli.Run(document, "recall", "--model", fixture.QaModel, "--query", "Who\u0001?"));
        Assert.Equal("Bell  e?t\u00E9 ?? \U0001F600   end.", Commands.RecallCommand.Printable("Bell\u0007 e\u0301t\u00E9 \u200B\uE000 \U0001F600 \u0085\u2028end."));
        Assert.Equal(70, Commands.RecallCommand.Printable(string.Concat(Enumerable.Repeat("\U0001F600", 100))).EnumerateRunes().Count());
        Assert.Equal("a?", Commands.RecallCommand.Printable("a\uD800"));
    }

    [Fact]
    public void Train_JsonlWithInvalidUtf8_FailsNamingFileAndOffset_NotAStackTrace()
    {
        // Regression: DataFormatException escaped train's handler and printed a stack trace.
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("train.jsonl"), [.. "{\"text\": \"caf"u8, 0xE9, .. "\", \"label\": \"x\"}\n"u8]);
        Cli.Fails(Cli.Run(null, "train", "--out", dir.File("model"), "--data", "jsonl", "--train-file", dir.File("train.jsonl"), "--epochs", "1",
            "--layers", "1", "--hidden", "16", "--heads", "2", "--no-eval"), "train.jsonl:1: invalid UTF-8 byte 0xE9 at byte offset 13 (line 1, column 14)");
    }

    private static void CheckSplit(byte[] bytes, int bad, string mode)
    {
        var run = Cli.RunBytes(bytes, "split", "--tokenizer", Tokenizer, "--mode", mode);
        if (!Check(run, bad, json: false)) return;
        var length = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Length;
        using var doc = JsonDocument.Parse(run.Stdout);
        var previous = 0;
        foreach (var block in doc.RootElement.GetProperty("blocks").EnumerateArray())
        {
            int start = block.GetProperty("start").GetInt32(), end = block.GetProperty("end").GetInt32();
            Assert.True(start >= previous && start <= end && end <= length, $"block [{start}, {end}) after {previous} in {length} units\n{run}");
            previous = end;
        }
    }

    /// <summary>
    /// A run on input with a planted bad byte must fail naming it; any other run either succeeds (each stdout line is
    /// JSON when <paramref name="json"/>) or fails cleanly. True when it succeeded.
    /// </summary>
    private static bool Check(CliResult run, int badOffset, bool json)
    {
        if (badOffset >= 0)
        {
            Cli.Fails(run, $"stdin: invalid UTF-8 byte 0x", $"at byte offset {badOffset} ");
            return false;
        }
        if (run.ExitCode != 0)
        {
            Cli.Fails(run);
            Assert.True(run.Stderr.Trim().Length > 0, $"a failure without a message\n{run}");
            return false;
        }
        if (json)
            foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')))
                JsonDocument.Parse(line).Dispose();
        return true;
    }
}
