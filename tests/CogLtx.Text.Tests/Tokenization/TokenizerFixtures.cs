using System.Text.Json;
using CogLtx.Text.Tokenization;

namespace CogLtx.Text.Tests.Tokenization;

/// <summary>One line of tests/fixtures/tokenizers/*/expected.jsonl (Hugging Face tokenizers 0.23.1 output).</summary>
public sealed record FixtureRecord(
    string Id, string Text, string? TextPair, int[] Ids, string[] Tokens, int[] TypeIds, int[] SequenceIds,
    (int Start, int End)[] OffsetsUtf16, int[]? TransformersCallIds);

/// <summary>
/// The committed tokenizer fixtures (copied from /work/shared/fixtures/tokenizers, see tests/fixtures/tokenizers/README.md)
/// and the tokenizers built from them, each loaded once per test run.
/// </summary>
public static class TokenizerFixtures
{
    public const string BertUncased = "bert-base-uncased";
    public const string BertCased = "bert-base-cased";
    public const string Roberta = "roberta-base";

    private static readonly Lazy<string> Root = new(() => Path.Combine(RepositoryRoot(), "tests", "fixtures", "tokenizers"));

    private static readonly Lazy<string> RobertaTokenizerJson = new(BuildRobertaTokenizerJson);

    private static readonly Dictionary<string, Lazy<ITokenizer>> Tokenizers = new()
    {
        // bert-base-uncased keeps its tokenizer.json, so Load takes the tokenizer.json path.
        ["uncased/tokenizer.json"] = new(() => TokenizerLoader.Load(Folder(BertUncased))),
        ["uncased/vocab.txt"] = new(() => TokenizerLoader.LoadWordPiece(Path.Combine(Folder(BertUncased), "vocab.txt"), lowercase: true)),
        // bert-base-cased has vocab.txt + tokenizer_config.json (do_lower_case false).
        ["cased/vocab.txt"] = new(() => TokenizerLoader.Load(Folder(BertCased))),
        ["roberta/vocab.json+merges.txt"] = new(() => TokenizerLoader.Load(Folder(Roberta))),
        ["roberta/tokenizer.json"] = new(() => TokenizerLoader.LoadTokenizerJson(RobertaTokenizerJson.Value)),
    };

    private static readonly Dictionary<string, Lazy<IReadOnlyList<FixtureRecord>>> RecordsByFolder = new[] { BertUncased, BertCased, Roberta }
        .ToDictionary(f => f, f => new Lazy<IReadOnlyList<FixtureRecord>>(() => ReadRecords(Path.Combine(Folder(f), "expected.jsonl"))));

    public static IEnumerable<string> Variants => Tokenizers.Keys;

    public static string Folder(string name) => Path.Combine(Root.Value, name);

    public static ITokenizer Get(string variant) => Tokenizers[variant].Value;

    /// <summary>The fixture folder whose expected.jsonl a tokenizer variant must reproduce.</summary>
    public static string FolderOf(string variant) => variant.Split('/')[0] switch
    {
        "uncased" => BertUncased,
        "cased" => BertCased,
        _ => Roberta,
    };

    public static IReadOnlyList<FixtureRecord> Records(string folder) => RecordsByFolder[folder].Value;

    public static FixtureRecord Record(string folder, string id) => Records(folder).Single(r => r.Id == id);

    /// <summary>
    /// The folder holding CogLtx.sln, above the test binaries; when COGLTX_ARTIFACTS puts those outside the
    /// repository, above this source file instead (its path is compiled in).
    /// </summary>
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"CogLtx.sln not found above {AppContext.BaseDirectory} or {sourceFile}");
    }

    private static IReadOnlyList<FixtureRecord> ReadRecords(string path)
    {
        var records = new List<FixtureRecord>();
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? -1 : x.GetInt32()).ToArray();
            var offsets = r.GetProperty("offsets_utf16").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32())).ToArray();
            int[]? transformersIds = r.TryGetProperty("transformers_call", out var call) ? Ints(call.GetProperty("ids")) : null;
            records.Add(new FixtureRecord(
                r.GetProperty("id").GetString()!, r.GetProperty("text").GetString()!,
                r.GetProperty("text_pair").ValueKind == JsonValueKind.Null ? null : r.GetProperty("text_pair").GetString(),
                Ints(r.GetProperty("ids")), r.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                Ints(r.GetProperty("type_ids")), Ints(r.GetProperty("sequence_ids")), offsets, transformersIds));
        }
        return records;
    }

    /// <summary>
    /// The committed roberta-base folder has no tokenizer.json (1.5 MB); it has tokenizer.skeleton.json, the hub-format
    /// file with model.vocab and model.merges emptied. The full file is rebuilt here from vocab.json and merges.txt,
    /// with merges in the [left, right] array form tokenizers 0.23 writes, into a temporary folder.
    /// </summary>
    private static string BuildRobertaTokenizerJson()
    {
        var folder = Folder(Roberta);
        var skeleton = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.skeleton.json")))!;
        var model = skeleton["model"]!;
        model["vocab"] = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "vocab.json")));
        var merges = new System.Text.Json.Nodes.JsonArray();
        foreach (var line in File.ReadLines(Path.Combine(folder, "merges.txt")).Where(l => !l.StartsWith("#version", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            merges.Add(new System.Text.Json.Nodes.JsonArray(parts[0], parts[1]));
        }
        model["merges"] = merges;
        var dir = Directory.CreateTempSubdirectory("cogltx-roberta-json-");
        var path = Path.Combine(dir.FullName, "tokenizer.json");
        File.WriteAllText(path, skeleton.ToJsonString());
        return path;
    }
}
