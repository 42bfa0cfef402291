using System.CommandLine;
using System.Text.Json;
using CogLtx.Splitter;
using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx split --tokenizer DIR --mode dp|sentence [--block-size 63] &lt; doc.txt</c>: splits the text on standard
/// input into CogLTX blocks (spec §1) and prints <c>{"blocks": [{"start": s, "end": e, "tokens": n}, …]}</c>, where
/// [s, e) is the block's span of the input in UTF-16 code units and n its content tokens (the separator each block
/// also carries is not counted).
/// </summary>
internal static class SplitCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Required = true, Description = "Tokenizer directory (tokenizer.json, or vocab.txt / vocab.json + merges.txt)" };
        var mode = new Option<string>("--mode") { Description = "dp: dynamic programming over the whole text (20News); sentence: each sentence or line on its own", DefaultValueFactory = _ => "dp" };
        var blockSize = new Option<int>("--block-size") { Description = "Maximum content tokens per block", DefaultValueFactory = _ => CogLtxOptions.Default.BlockSize };
        var command = new Command("split", "Split the text on standard input into CogLTX blocks and print their spans as JSON");
        command.Options.Add(tokenizer);
        command.Options.Add(mode);
        command.Options.Add(blockSize);
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
                var loaded = TokenizerLoader.Load(parseResult.GetValue(tokenizer)!);
                var text = Console.In.ReadToEnd();
                var blocks = BlockSplitter.Split(text, loaded, splitMode.Value, new BlockIdCounter(), CogLtxOptions.Default with { BlockSize = size });
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
    internal static void WriteJson(Stream output, IReadOnlyList<Block> blocks)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteStartArray("blocks");
        foreach (var block in blocks)
        {
            writer.WriteStartObject();
            writer.WriteNumber("start", block.Span.Start);
            writer.WriteNumber("end", block.Span.End);
            writer.WriteNumber("tokens", block.Length - 1);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
