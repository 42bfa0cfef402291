using System.Text.Json;
using CogLtx.Tensors;
using CogLtx.Text.Input;

namespace CogLtx.Models;

/// <summary>Key normalisation and the consistency checks between checkpoint, config and vocabulary.</summary>
public static partial class ModelLoader
{
    /// <summary>Top-level modules of an encoder: a checkpoint key starting with one of these belongs to the encoder.</summary>
    private static readonly string[] EncoderRoots = ["embeddings.", "encoder.", "pooler."];

    /// <summary>
    /// Puts the keys in the layout of the model being built: a head model wants its encoder under
    /// <c>{prefix}.</c>, a base model without it (transformers accepts both directions). Tied decoder copies are
    /// dropped into <paramref name="ignored"/> for masked-LM models.
    /// </summary>
    private static Dictionary<string, Tensor> NormaliseKeys(
        IReadOnlyDictionary<string, Tensor> tensors, string? prefix, string modelType, HfTask task, List<string> ignored)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var headPrefix = prefix + ".";
        var hasPrefixed = prefix is not null && tensors.Keys.Any(k => k.StartsWith(headPrefix, StringComparison.Ordinal));
        var basePrefix = modelType + ".";
        foreach (var (key, value) in tensors)
        {
            if (task == HfTask.MaskedLM && MaskedLmModel.TiedKeys.Contains(key))
            {
                ignored.Add(key);
                continue;
            }
            var name = key;
            if (prefix is null && key.StartsWith(basePrefix, StringComparison.Ordinal))
                name = key[basePrefix.Length..];
            else if (prefix is not null && !hasPrefixed && EncoderRoots.Any(r => key.StartsWith(r, StringComparison.Ordinal)))
                name = headPrefix + key;
            if (!result.TryAdd(name, value))
                throw new InvalidDataException($"checkpoint has both {key} and another spelling of {name}");
        }
        return result;
    }

    /// <summary>Names config.json and the tensor when the embedding tables contradict the config.</summary>
    private static void CheckAgainstConfig(Dictionary<string, Tensor> tensors, string? prefix, BertConfig config, string source)
    {
        var root = prefix is null ? "" : prefix + ".";
        Check("embeddings.word_embeddings.weight", 0, config.VocabSize, "vocab_size");
        Check("embeddings.word_embeddings.weight", 1, config.HiddenSize, "hidden_size");
        Check("embeddings.position_embeddings.weight", 0, config.MaxPositionEmbeddings, "max_position_embeddings");
        Check("embeddings.token_type_embeddings.weight", 0, config.TypeVocabSize, "type_vocab_size");

        void Check(string key, int axis, int expected, string field)
        {
            if (!tensors.TryGetValue(root + key, out var t) || t.Rank != 2 || t.Shape[axis] == expected) return;
            throw new InvalidDataException(
                $"{source}: {root + key} has shape {Shapes.Format(t.Shape)}, but config.json says {field} = {expected}");
        }
    }

    /// <summary>
    /// When the directory has a vocabulary (<c>vocab.txt</c>: one token a line; <c>vocab.json</c>: one entry per
    /// token), it must not hold more tokens than <c>vocab_size</c>: the tokenizer would produce ids past the
    /// embedding table. (Fewer is legitimate: tables are often padded to a multiple of 8.)
    /// </summary>
    public static void CheckVocabulary(string dir, BertConfig config)
    {
        var configPath = Path.Combine(dir, ConfigFile);
        foreach (var (file, count) in VocabularySizes(dir))
            if (count > config.VocabSize)
                throw new InvalidDataException(
                    $"{file} has {count} tokens but {configPath} says vocab_size = {config.VocabSize}: the vocabulary does not belong to this model");
    }

    private static IEnumerable<(string File, int Count)> VocabularySizes(string dir)
    {
        var txt = Path.Combine(dir, "vocab.txt");
        if (File.Exists(txt))
        {
            var lines = Utf8Input.ReadFile(txt).Split('\n');
            var count = lines.Length;
            // A final newline yields an empty last piece; a trailing blank line is not a token (as TokenizerLoader reads it).
            while (count > 0 && lines[count - 1].TrimEnd().Length == 0) count--;
            yield return (txt, count);
        }
        var json = Path.Combine(dir, "vocab.json");
        if (File.Exists(json))
        {
            int count;
            try
            {
                using var doc = JsonDocument.Parse(Utf8Input.ReadFile(json));
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{json}: expected a JSON object token → id");
                count = doc.RootElement.EnumerateObject().Count();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{json}: not valid JSON: {e.Message}", e);
            }
            yield return (json, count);
        }
    }
}
