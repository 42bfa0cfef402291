using System.Text.Json;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// The keys of transformers' <c>tokenizer_config.json</c> (and <c>special_tokens_map.json</c>) that change how a
/// folder tokenizes. A special token may be written as a string or as an AddedToken object with a "content" key.
/// </summary>
internal sealed record TokenizerConfig(
    string Source, bool? DoLowerCase, bool? StripAccents, bool? TokenizeChineseChars, bool? AddPrefixSpace,
    string? Cls, string? Sep, string? Pad, string? Unk, string? Mask)
{
    public static TokenizerConfig Empty { get; } = new("(no tokenizer_config.json)", null, null, null, null, null, null, null, null, null);

    /// <summary>The special token names, each from this config when it sets one, else from <paramref name="defaults"/>.</summary>
    public SpecialTokenNames Names(SpecialTokenNames defaults) => new(
        Cls ?? defaults.Cls, Sep ?? defaults.Sep, Pad ?? defaults.Pad, Unk ?? defaults.Unk, Mask ?? defaults.Mask);

    /// <summary>Reads the folder's tokenizer_config.json and special_tokens_map.json (the former wins); missing files give <see cref="Empty"/>.</summary>
    public static TokenizerConfig Read(string directory)
    {
        var config = Empty;
        foreach (var name in new[] { "special_tokens_map.json", "tokenizer_config.json" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            using var document = TokenizerLoader.ParseJson(path);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: expected a JSON object, found {root.ValueKind}");
            config = new TokenizerConfig(
                path,
                Flag(root, "do_lower_case", path) ?? config.DoLowerCase,
                Flag(root, "strip_accents", path) ?? config.StripAccents,
                Flag(root, "tokenize_chinese_chars", path) ?? config.TokenizeChineseChars,
                Flag(root, "add_prefix_space", path) ?? config.AddPrefixSpace,
                TokenName(root, "cls_token", path) ?? config.Cls,
                TokenName(root, "sep_token", path) ?? config.Sep,
                TokenName(root, "pad_token", path) ?? config.Pad,
                TokenName(root, "unk_token", path) ?? config.Unk,
                TokenName(root, "mask_token", path) ?? config.Mask);
        }
        return config;
    }

    private static bool? Flag(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"{path}: \"{key}\" must be true, false or null, found {value.ValueKind}"),
        };
    }

    private static string? TokenName(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                => content.GetString(),
            _ => throw new InvalidDataException($"{path}: \"{key}\" must be a string or an object with a \"content\" string, found {value.ValueKind}"),
        };
    }
}
