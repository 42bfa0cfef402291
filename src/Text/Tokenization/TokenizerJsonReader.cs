using System.Text.Json;
using static CogLtx.Text.Tokenization.JsonFields;

namespace CogLtx.Text.Tokenization;

/// <summary>
/// Reads a <c>tokenizers</c> <c>tokenizer.json</c> (<c>tokenizers/src/tokenizer/serialization.rs</c>) for the two
/// pipelines this project implements: WordPiece with BertNormalizer + BertPreTokenizer, and BPE with the ByteLevel
/// pre-tokenizer and no normalizer. Any other component raises <see cref="NotSupportedException"/> naming it.
/// "truncation" and "padding" are ignored: the caller passes maxLength to Encode and pads batches itself.
/// </summary>
internal static class TokenizerJsonReader
{
    public static SubwordTokenizer Read(string path, TokenizerConfig config)
    {
        using var document = TokenizerLoader.ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object, found {root.ValueKind}");
        var model = RequiredObject(root, "model", path, "");
        var type = OptionalString(model, "type", path, "model.")
            ?? (model.TryGetProperty("merges", out _) ? "BPE" : "WordPiece");
        var added = ReadAddedTokens(root, path);
        return type switch
        {
            "WordPiece" => ReadWordPiece(root, model, added, path, config),
            "BPE" => ReadBpe(root, model, added, path, config),
            _ => throw new NotSupportedException($"{path}: model.type '{type}' is not supported (supported: WordPiece, BPE)"),
        };
    }

    private static WordPieceTokenizer ReadWordPiece(
        JsonElement root, JsonElement model, List<AddedToken> added, string path, TokenizerConfig config)
    {
        var vocab = ReadVocab(RequiredProperty(model, "vocab", path, "model."), path, "model.vocab");
        var unk = OptionalString(model, "unk_token", path, "model.") ?? "[UNK]";
        var prefix = OptionalString(model, "continuing_subword_prefix", path, "model.") ?? "##";
        var maxChars = OptionalInt(model, "max_input_chars_per_word", path, "model.") ?? 100;

        BertNormalizerOptions? normalizer = null;
        if (OptionalObject(root, "normalizer", path, "") is { } n)
        {
            var kind = OptionalString(n, "type", path, "normalizer.");
            if (kind != "BertNormalizer")
                throw new NotSupportedException($"{path}: normalizer.type '{kind}' is not supported with WordPiece (supported: BertNormalizer, null)");
            normalizer = new BertNormalizerOptions(
                CleanText: OptionalBool(n, "clean_text", path, "normalizer.") ?? true,
                HandleChineseChars: config.TokenizeChineseChars ?? OptionalBool(n, "handle_chinese_chars", path, "normalizer.") ?? true,
                StripAccents: config.StripAccents ?? OptionalBool(n, "strip_accents", path, "normalizer."),
                Lowercase: config.DoLowerCase ?? OptionalBool(n, "lowercase", path, "normalizer.") ?? true);
        }

        var preTokenizer = OptionalObject(root, "pre_tokenizer", path, "") is { } p ? OptionalString(p, "type", path, "pre_tokenizer.") : null;
        if (preTokenizer != "BertPreTokenizer")
            throw new NotSupportedException($"{path}: pre_tokenizer '{preTokenizer ?? "null"}' is not supported with WordPiece (supported: BertPreTokenizer)");

        var (post, _) = ReadPostProcessor(root, path);
        var specials = config.Names(SpecialTokenNames.Bert).Resolve(Lookup(added, vocab), path);
        return new WordPieceTokenizer(vocab, normalizer, added, specials, post, unk, prefix, maxChars);
    }

    private static ByteLevelBpeTokenizer ReadBpe(
        JsonElement root, JsonElement model, List<AddedToken> added, string path, TokenizerConfig config)
    {
        var vocab = ReadVocab(RequiredProperty(model, "vocab", path, "model."), path, "model.vocab");
        foreach (var key in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (OptionalString(model, key, path, "model.") is { Length: > 0 } value)
                throw new NotSupportedException($"{path}: model.{key} '{value}' is not supported (byte-level BPE uses none)");
        }
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw new NotSupportedException($"{path}: model.dropout {dropout} is not supported (BPE dropout is for training)");
        foreach (var key in new[] { "byte_fallback", "ignore_merges" })
        {
            if (OptionalBool(model, key, path, "model.") == true)
                throw new NotSupportedException($"{path}: model.{key}=true is not supported");
        }
        if (OptionalObject(root, "normalizer", path, "") is { } n)
            throw new NotSupportedException($"{path}: normalizer '{OptionalString(n, "type", path, "normalizer.")}' is not supported with byte-level BPE (supported: null)");

        var preTokenizer = OptionalObject(root, "pre_tokenizer", path, "");
        var preType = preTokenizer is { } pt ? OptionalString(pt, "type", path, "pre_tokenizer.") : null;
        if (preType != "ByteLevel")
            throw new NotSupportedException($"{path}: pre_tokenizer '{preType ?? "null"}' is not supported with BPE (supported: ByteLevel)");
        if ((config.AddPrefixSpace ?? OptionalBool(preTokenizer!.Value, "add_prefix_space", path, "pre_tokenizer.")) == true)
            throw new NotSupportedException($"{path}: add_prefix_space=true is not supported (RoBERTa checkpoints use false)");
        if (OptionalBool(preTokenizer!.Value, "use_regex", path, "pre_tokenizer.") == false)
            throw new NotSupportedException($"{path}: pre_tokenizer.use_regex=false is not supported");

        var merges = ReadJsonMerges(RequiredProperty(model, "merges", path, "model."), path);
        var bpe = new BpeModel(vocab, merges, path, rank => $"{path} model.merges[{rank}]");
        var (post, trimOffsets) = ReadPostProcessor(root, path);
        var specials = config.Names(SpecialTokenNames.Roberta).Resolve(Lookup(added, vocab), path);
        return new ByteLevelBpeTokenizer(bpe, added, specials, post, trimOffsets);
    }

    /// <summary>Merges as "left right" strings (tokenizers before 0.20) or as ["left", "right"] pairs (since).</summary>
    private static List<(string, string)> ReadJsonMerges(JsonElement merges, string path)
    {
        if (merges.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: model.merges must be an array, found {merges.ValueKind}");
        var result = new List<(string, string)>(merges.GetArrayLength());
        var index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.String && merge.GetString()!.Split(' ') is [var left, var right])
                result.Add((left, right));
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
                result.Add((merge[0].GetString()!, merge[1].GetString()!));
            else
                throw new InvalidDataException($"{path}: model.merges[{index}] must be \"left right\" or [\"left\", \"right\"], found {merge.GetRawText()}");
            index++;
        }
        return result;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind == JsonValueKind.Null) return result;
        if (list.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: added_tokens must be an array, found {list.ValueKind}");
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = $"added_tokens[{index++}].";
            if (item.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: {where[..^1]} must be an object");
            var id = OptionalInt(item, "id", path, where) ?? throw new InvalidDataException($"{path}: missing {where}id");
            var content = OptionalString(item, "content", path, where) ?? throw new InvalidDataException($"{path}: missing {where}content");
            var special = OptionalBool(item, "special", path, where) ?? false;
            result.Add(new AddedToken(id, content, special,
                SingleWord: OptionalBool(item, "single_word", path, where) ?? false,
                LStrip: OptionalBool(item, "lstrip", path, where) ?? false,
                RStrip: OptionalBool(item, "rstrip", path, where) ?? false,
                Normalized: OptionalBool(item, "normalized", path, where) ?? !special));
        }
        return result;
    }

    /// <summary>
    /// The post-processor and whether it trims byte-level offsets: TemplateProcessing, BertProcessing,
    /// RobertaProcessing, ByteLevel (offsets only), or null (no special tokens).
    /// </summary>
    private static (PostProcessor, bool TrimOffsets) ReadPostProcessor(JsonElement root, string path)
    {
        if (OptionalObject(root, "post_processor", path, "") is not { } post) return (PostProcessor.None, false);
        var type = OptionalString(post, "type", path, "post_processor.");
        var trim = OptionalBool(post, "trim_offsets", path, "post_processor.") ?? true;
        switch (type)
        {
            case "BertProcessing":
            {
                var (cls, clsId) = TokenPair(post, "cls", path);
                var (sep, sepId) = TokenPair(post, "sep", path);
                return (PostProcessor.Bert(clsId, cls, sepId, sep), false);
            }
            case "RobertaProcessing":
            {
                if (OptionalBool(post, "add_prefix_space", path, "post_processor.") == true)
                    throw new NotSupportedException($"{path}: post_processor.add_prefix_space=true is not supported");
                var (cls, clsId) = TokenPair(post, "cls", path);
                var (sep, sepId) = TokenPair(post, "sep", path);
                return (PostProcessor.Roberta(clsId, cls, sepId, sep), trim);
            }
            case "ByteLevel":
                return (PostProcessor.None, trim);
            case "TemplateProcessing":
                return (ReadTemplate(post, path), false);
            default:
                throw new NotSupportedException(
                    $"{path}: post_processor.type '{type}' is not supported (supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, null)");
        }
    }

    private static PostProcessor ReadTemplate(JsonElement post, string path)
    {
        var specials = OptionalObject(post, "special_tokens", path, "post_processor.");
        PostProcessor.Piece[] Pieces(string key)
        {
            var where = $"post_processor.{key}";
            if (!post.TryGetProperty(key, out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: {where} must be an array");
            var pieces = new List<PostProcessor.Piece>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("Sequence", out var sequence))
                {
                    var id = OptionalString(sequence, "id", path, $"{where}[].Sequence.");
                    var typeId = OptionalInt(sequence, "type_id", path, $"{where}[].Sequence.") ?? 0;
                    pieces.Add(PostProcessor.Piece.Of(id == "B" ? 1 : id == "A" ? 0
                        : throw new InvalidDataException($"{path}: {where}: sequence id '{id}', expected A or B"), typeId));
                }
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("SpecialToken", out var special))
                {
                    var name = OptionalString(special, "id", path, $"{where}[].SpecialToken.") ?? "";
                    var typeId = OptionalInt(special, "type_id", path, $"{where}[].SpecialToken.") ?? 0;
                    if (specials is not { } map || OptionalObject(map, name, path, "post_processor.special_tokens.") is not { } entry)
                        throw new InvalidDataException($"{path}: {where} uses special token '{name}', missing from post_processor.special_tokens");
                    var ids = Array(entry, "ids", JsonValueKind.Number, name).Select(e => e.GetInt32()).ToArray();
                    var tokens = Array(entry, "tokens", JsonValueKind.String, name).Select(e => e.GetString()!).ToArray();
                    if (ids.Length != tokens.Length)
                        throw new InvalidDataException($"{path}: post_processor.special_tokens.{name}: {ids.Length} ids but {tokens.Length} tokens");
                    pieces.Add(new PostProcessor.Piece(-1, ids, tokens, typeId));
                }
                else
                {
                    throw new InvalidDataException($"{path}: {where}: expected {{\"Sequence\": …}} or {{\"SpecialToken\": …}}, found {item.GetRawText()}");
                }
            }
            return [.. pieces];
        }
        List<JsonElement> Array(JsonElement entry, string key, JsonValueKind kind, string name)
        {
            if (entry.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().All(e => e.ValueKind == kind && (kind != JsonValueKind.Number || e.TryGetInt32(out _))))
                return list.EnumerateArray().ToList();
            throw new InvalidDataException($"{path}: post_processor.special_tokens.{name}.{key} must be an array of {kind}");
        }
        return new PostProcessor(Pieces("single"), Pieces("pair"));
    }

    /// <summary>A ["token", id] pair of BertProcessing / RobertaProcessing.</summary>
    private static (string Token, int Id) TokenPair(JsonElement post, string key, string path)
    {
        if (post.TryGetProperty(key, out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
            && pair[0].ValueKind == JsonValueKind.String && pair[1].ValueKind == JsonValueKind.Number && pair[1].TryGetInt32(out var id))
            return (pair[0].GetString()!, id);
        throw new InvalidDataException($"{path}: post_processor.{key} must be [\"token\", id]");
    }

    private static JsonElement RequiredProperty(JsonElement parent, string key, string path, string where) =>
        parent.TryGetProperty(key, out var value) ? value : throw new InvalidDataException($"{path}: missing {where}{key}");

    /// <summary>Token → id over the added tokens first, then the model vocabulary (tokenizers' <c>token_to_id</c>).</summary>
    private static Func<string, int?> Lookup(List<AddedToken> added, Dictionary<string, int> vocab) => token =>
    {
        foreach (var t in added)
        {
            if (t.Content == token) return t.Id;
        }
        return vocab.TryGetValue(token, out var id) ? id : null;
    };
}
