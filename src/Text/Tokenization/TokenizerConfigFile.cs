using System.Text.Json;
using System.Text.Json.Nodes;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Builds the <c>tokenizer_config.json</c> that transformers' <c>AutoTokenizer.from_pretrained</c> needs beside a bare
/// vocabulary: <c>tokenizer_class</c> (a vocab.txt alone does not load without it), <c>model_max_length</c> (without
/// it <c>truncation=True</c> does not truncate) and, for a WordPiece vocab.txt, <c>do_lower_case</c> as
/// <see cref="TokenizerLoader"/> reads the folder, so both tokenize alike. Only the content is built here:
/// <c>CogLtx.Models.TokenizerConfigWriter</c> writes it through the one atomic writer, <c>CogLtx.Tensors.Io.AtomicFile</c>,
/// which this leaf project cannot reference.
/// </summary>
public static class TokenizerConfigFile
{
    /// <summary>The file's name in a tokenizer folder.</summary>
    public const string FileName = "tokenizer_config.json";

    /// <summary>
    /// The JSON text for <c>directory/tokenizer_config.json</c>, carrying <c>tokenizer_class</c> (BertTokenizer for
    /// vocab.txt, RobertaTokenizer for vocab.json + merges.txt), <c>model_max_length</c> and, for a vocab.txt folder
    /// without tokenizer.json, <c>do_lower_case</c> (<paramref name="doLowerCase"/>, else what <see cref="TokenizerLoader"/>
    /// would use for <paramref name="lowercaseSource"/>, default <paramref name="directory"/>). Keys already in the file
    /// are kept, except <c>model_max_length</c> with <paramref name="overrideMaxLength"/>.
    /// </summary>
    public static string Content(string directory, int modelMaxLength, bool? doLowerCase = null, bool overrideMaxLength = false, string? lowercaseSource = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelMaxLength);
        var path = Path.Combine(directory, FileName);
        var config = Read(path);
        var hasJson = File.Exists(Path.Combine(directory, "tokenizer.json"));
        var isWordPiece = File.Exists(Path.Combine(directory, "vocab.txt"));
        var isBpe = File.Exists(Path.Combine(directory, "vocab.json")) && File.Exists(Path.Combine(directory, "merges.txt"));
        if (!hasJson && !isWordPiece && !isBpe)
            throw new FileNotFoundException($"no vocabulary in {directory} (tokenizer.json, vocab.txt, or vocab.json + merges.txt) to describe in {FileName}");
        if (isWordPiece && !hasJson)
        {
            config.TryAdd("tokenizer_class", "BertTokenizer");
            config.TryAdd("do_lower_case", doLowerCase ?? LowercaseOf(lowercaseSource ?? directory));
        }
        else if (isBpe && !hasJson)
        {
            config.TryAdd("tokenizer_class", "RobertaTokenizer");
        }
        if (overrideMaxLength) config["model_max_length"] = modelMaxLength;
        else config.TryAdd("model_max_length", modelMaxLength);
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// Whether <see cref="TokenizerLoader"/> lower-cases the vocab.txt folder <paramref name="directory"/>: its
    /// config's <c>do_lower_case</c>, else by the folder's name ("cased" without "uncased" keeps case).
    /// </summary>
    public static bool LowercaseOf(string directory) =>
        TokenizerConfig.Read(directory).DoLowerCase
        ?? TokenizerLoader.DefaultLowercase(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));

    private static JsonObject Read(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }
}
