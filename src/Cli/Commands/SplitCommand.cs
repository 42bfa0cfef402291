using System.CommandLine;
using System.Text.Json;
using CogLtx.Splitter;
using CogLtx.Text.Documents;
using CogLtx.Text.Input;
using CogLtx.Text.Tokenization;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx split --tokenizer DIR --mode dp|sentence [--block-size 63] &lt; doc.txt</c>: splits the text on standard
/// input into CogLTX blocks (spec §1) and prints <c>{"blocks": [{"start": s, "end": e, "tokens": n}, …]}</c>, where
/// [s, e) is the block's span of the input in UTF-16 code units (code points with <c>--offsets code-points</c>) and n
/// its content tokens (the separator each block also carries is not counted).
/// </summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Required = true, Description = "Tokenizer directory (tokenizer.json, or vocab.txt / vocab.json + merges.txt)" };
        var mode = new Option<string>("--mode") { Description = "dp: dynamic programming over the whole text (20News); sentence: each sentence or line on its own", DefaultValueFactory = _ => "dp" };
        var blockSize = new Option<int>("--block-size") { Description = "Maximum content tokens per block", DefaultValueFactory = _ => CogLtxOptions.Default.BlockSize };
        var offsets = OffsetsOption.Create();
        var command = new Command("split", "Split the text on standard input into CogLTX blocks and print their spans as JSON");
        command.Options.Add(tokenizer);
        command.Options.Add(mode);
        command.Options.Add(blockSize);
        command.Options.Add(offsets);
        command.SetAction(parseResult =>
        {
            var modeName = parseResult.GetValue(mode);
            SplitMode? splitMode = modeName switch { "dp" => SplitMode.Dp, "sentence" => SplitMode.Sentence, _ => null };
            if (splitMode is null)
            {
                Console.Error.WriteLine($"split: --mode must be dp or sentence, got '{modeName}'");
                return 1;
            }
            var size = parseResult.GetValue(blockSize);
            if (size < 1)
            {
                Console.Error.WriteLine($"split: --block-size must be at least 1, got {size}");
                return 1;
            }
            try
            {
                var unit = OffsetsOption.Parse(parseResult.GetValue(offsets));
                var loaded = TokenizerLoader.Load(parseResult.GetValue(tokenizer)!);
                var text = Text.Input.Utf8Input.ReadAll(Console.OpenStandardInput(), "stdin");
                var options = CogLtxOptions.Default with { BlockSize = size };
                // Mode D streams: blocks are written as the DP fixes them, so a document of any length splits in
                // memory bounded by the text and a piece of it (DpSplitter.Spans gives the same blocks as Split).
                var blocks = splitMode == SplitMode.Dp
                    ? DpSplitter.Spans(text, loaded, options)
                    : BlockSplitter.Split(text, loaded, SplitMode.Sentence, new BlockIdCounter(), options).Select(b => (b.Span, b.Length - 1));
                if (unit == OffsetUnit.CodePoints)
                {
                    var units = CodePointOffsets.For(text);
                    blocks = blocks.Select(b =>
                    {
                        var (start, end) = units.FromUtf16(b.Span.Start, b.Span.End);
                        return (new CharSpan(start, end), b.Item2);
                    });
                }
                WriteJson(Console.OpenStandardOutput(), blocks);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or UnauthorizedAccessException or JsonException)
            {
                Console.Error.WriteLine($"split: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Writes <c>{"blocks": [{"start", "end", "tokens"}, …]}</c> (indented) and a final newline.</summary>
    internal static void WriteJson(Stream output, IEnumerable<(CharSpan Span, int Tokens)> blocks)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteStartArray("blocks");
        foreach (var (span, tokens) in blocks)
        {
            writer.WriteStartObject();
            writer.WriteNumber("start", span.Start);
            writer.WriteNumber("end", span.End);
            writer.WriteNumber("tokens", tokens);
            writer.WriteEndObject();
            if (writer.BytesPending > 1 << 16) writer.Flush();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
