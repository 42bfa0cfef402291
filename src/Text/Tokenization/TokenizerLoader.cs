using CogLtx.Text.Input;
using System.Text.Json;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Loads a tokenizer from a Hugging Face checkpoint folder. <see cref="Load"/> picks, in this order:
/// <list type="number">
/// <item><c>tokenizer.json</c>: the full pipeline (WordPiece or BPE model, normalizer flags, added tokens,
/// post-processor), read by <see cref="LoadTokenizerJson"/>;</item>
/// <item><c>vocab.txt</c>: BERT WordPiece;</item>
/// <item><c>vocab.json</c> + <c>merges.txt</c>: RoBERTa byte-level BPE.</item>
/// </list>
/// <c>tokenizer_config.json</c>, when present, overrides as transformers 5 does: <c>do_lower_case</c> (and
/// <c>strip_accents</c>, <c>tokenize_chinese_chars</c>) win over the normalizer in tokenizer.json, and
/// <c>cls_token</c> … <c>mask_token</c> (or <c>special_tokens_map.json</c>) name the special tokens. Without a config,
/// a vocab.txt folder lower-cases unless its name contains "cased" but not "uncased" (transformers' default is to
/// lower-case). Malformed files raise <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class TokenizerLoader
{
    /// <summary>The tokenizer of a Hugging Face tokenizer folder (as described above).</summary>
    public static ITokenizer Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"tokenizer folder not found: {directory}");
        var config = TokenizerConfig.Read(directory);
        var json = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(json)) return TokenizerJsonReader.Read(json, config);

        var vocabTxt = Path.Combine(directory, "vocab.txt");
        if (File.Exists(vocabTxt))
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            var lowercase = config.DoLowerCase ?? DefaultLowercase(name);
            var normalizer = new BertNormalizerOptions(
                HandleChineseChars: config.TokenizeChineseChars ?? true, StripAccents: config.StripAccents, Lowercase: lowercase);
            return WordPieceTokenizer.Create(ReadVocabTxt(vocabTxt), normalizer, config.Names(SpecialTokenNames.Bert), vocabTxt);
        }

        var vocabJson = Path.Combine(directory, "vocab.json");
        var mergesTxt = Path.Combine(directory, "merges.txt");
        if (File.Exists(vocabJson) && File.Exists(mergesTxt))
        {
            if (config.AddPrefixSpace == true)
                throw new NotSupportedException($"{config.Source}: add_prefix_space=true is not supported (RoBERTa checkpoints use false)");
            return ByteLevelBpeTokenizer.CreateRoberta(ReadBpe(vocabJson, mergesTxt), config.Names(SpecialTokenNames.Roberta), vocabJson);
        }

        throw new FileNotFoundException(
            $"no tokenizer in {directory}: expected tokenizer.json, vocab.txt (WordPiece) or vocab.json + merges.txt (byte-level BPE)");
    }

    /// <summary>Reads a <c>tokenizer.json</c> (model type WordPiece or BPE); <paramref name="doLowerCase"/> overrides its normalizer's lowercase flag.</summary>
    public static ITokenizer LoadTokenizerJson(string path, bool? doLowerCase = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TokenizerJsonReader.Read(path, TokenizerConfig.Empty with { DoLowerCase = doLowerCase });
    }

    /// <summary>BERT WordPiece from a <c>vocab.txt</c>, with the bert-base pipeline and specials [CLS] [SEP] [PAD] [UNK] [MASK].</summary>
    public static ITokenizer LoadWordPiece(string vocabTxtPath, bool lowercase, bool? stripAccents = null)
    {
        ArgumentNullException.ThrowIfNull(vocabTxtPath);
        return WordPieceTokenizer.Create(ReadVocabTxt(vocabTxtPath),
            new BertNormalizerOptions(StripAccents: stripAccents, Lowercase: lowercase), SpecialTokenNames.Bert, vocabTxtPath);
    }

    private static BpeModel ReadBpe(string vocabJson, string mergesTxt)
    {
        var vocab = ReadVocabJson(vocabJson);
        var (merges, lines) = ReadMerges(mergesTxt);
        return new BpeModel(vocab, merges, vocabJson, rank => $"{mergesTxt} line {lines[rank]}");
    }

    /// <summary>"uncased" → lower-case; "cased" (without "un") → keep case; anything else → lower-case, transformers' default.</summary>
    internal static bool DefaultLowercase(string folderName) =>
        folderName.Contains("uncased", StringComparison.OrdinalIgnoreCase)
        || !folderName.Contains("cased", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// vocab.txt: one token per line, the id is the 0-based line number; trailing white space is trimmed as
    /// <c>tokenizers</c>' <c>WordPiece::read_file</c> does. Deliberate deviation: empty and duplicate tokens, which
    /// <c>tokenizers</c> would accept silently, are errors (they mean a damaged file); empty lines at the end are ignored.
    /// </summary>
    internal static Dictionary<string, int> ReadVocabTxt(string path)
    {
        var lines = ReadLines(path);
        var count = lines.Count;
        while (count > 0 && lines[count - 1].Length == 0) count--;
        if (count == 0) throw new InvalidDataException($"{path}: the vocabulary is empty");
        var vocab = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var token = lines[i].TrimEnd();
            if (token.Length == 0) throw new InvalidDataException($"{path} line {i + 1}: empty token");
            if (!vocab.TryAdd(token, i))
                throw new InvalidDataException($"{path} line {i + 1}: duplicate token '{token}' (first on line {vocab[token] + 1})");
        }
        return vocab;
    }

    /// <summary>vocab.json: one JSON object, token → non-negative integer id, ids unique.</summary>
    internal static Dictionary<string, int> ReadVocabJson(string path)
    {
        using var document = ParseJson(path);
        return JsonFields.ReadVocab(document.RootElement, path, "the root");
    }

    /// <summary>
    /// merges.txt: an optional <c>#version</c> header, then one merge per line, two symbols separated by one space,
    /// highest priority first (rank = order).
    /// </summary>
    internal static (List<(string Left, string Right)> Merges, List<int> Lines) ReadMerges(string path)
    {
        var lines = ReadLines(path);
        var merges = new List<(string, string)>(lines.Count);
        var lineNumbers = new List<int>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (line.Length == 0 && i == lines.Count - 1) continue;
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new InvalidDataException($"{path} line {i + 1}: expected two symbols separated by one space, found '{line}'");
            merges.Add((line[..space], line[(space + 1)..]));
            lineNumbers.Add(i + 1);
        }
        return (merges, lineNumbers);
    }

    internal static JsonDocument ParseJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        try
        {
            var bytes = File.ReadAllBytes(path);
            Utf8Input.Validate(bytes, path);
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} line {(e.LineNumber ?? 0) + 1}: malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>All lines, decoded as strict UTF-8 (<see cref="Utf8Input"/>); an invalid byte sequence is an error naming its offset and line.</summary>
    private static List<string> ReadLines(string path)
    {
        var text = Utf8Input.ReadFile(path);
        var lines = new List<string>(text.Split('\n'));
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].EndsWith('\r')) lines[i] = lines[i][..^1];
        return lines;
    }
}
