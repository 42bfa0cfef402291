using System.CommandLine;
using CogLtx.Text.Tokenization;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx tokenize --tokenizer DIR [--max-length N] &lt; in.jsonl &gt; out.jsonl</c>: loads the tokenizer of a
/// Hugging Face folder (tokenizer.json, vocab.txt, or vocab.json + merges.txt) and turns each input line
/// <c>{"text": ..., "text_pair": ...?}</c> into <c>{"ids": [...], "type_ids": [...], "offsets": [[start, end], ...]}</c>
/// with special tokens, offsets in UTF-16 code units, or in code points with <c>--offsets code-points</c> (see
/// <see cref="JsonlTokenization"/>). A malformed line stops the
/// run with an error naming its line number; the lines before it have been written.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Required = true, Description = "Tokenizer folder: tokenizer.json, vocab.txt, or vocab.json + merges.txt" };
        var maxLength = new Option<int?>("--max-length") { Description = "Truncate each encoding (special tokens included) to this many tokens, longest sequence first" };
        var offsets = OffsetsOption.Create();
        var command = new Command("tokenize", "Tokenize JSON Lines from stdin ({\"text\", \"text_pair\"?}) to ids, type ids and offsets on stdout");
        command.Options.Add(tokenizer);
        command.Options.Add(maxLength);
        command.Options.Add(offsets);
        command.SetAction(parseResult =>
        {
            try
            {
                var unit = OffsetsOption.Parse(parseResult.GetValue(offsets));
                var loaded = TokenizerLoader.Load(parseResult.GetValue(tokenizer)!);
                using var input = new StringReader(Text.Input.Utf8Input.ReadAll(Console.OpenStandardInput(), "stdin"));
                using var output = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
                JsonlTokenization.Run(loaded, input, output, parseResult.GetValue(maxLength), unit);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"tokenize: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
