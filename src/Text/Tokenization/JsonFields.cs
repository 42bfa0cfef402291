using System.Text.Json;
using CogLtx.Text.Input;

namespace CogLtx.Text.Tokenization;

/// <summary>Typed reads from tokenizer JSON files, each failure naming the file and the JSON path of the field.</summary>
internal static class JsonFields
{
    /// <summary>The object at <paramref name="key"/>; missing or null gives null.</summary>
    public static JsonElement? OptionalObject(JsonElement parent, string key, string path, string where)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: {where}{key} must be an object, found {value.ValueKind}");
        return value;
    }

    public static JsonElement RequiredObject(JsonElement parent, string key, string path, string where) =>
        OptionalObject(parent, key, path, where)
        ?? throw new InvalidDataException($"{path}: missing object {where}{key}");

    public static string? OptionalString(JsonElement parent, string key, string path, string where)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? JsonText.GetString(value, $"{path}: {where}{key}")
            : throw new InvalidDataException($"{path}: {where}{key} must be a string, found {value.ValueKind}");
    }

    public static bool? OptionalBool(JsonElement parent, string key, string path, string where)
    {
        if (!parent.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"{path}: {where}{key} must be true, false or null, found {value.ValueKind}"),
        };
    }

    public static int? OptionalInt(JsonElement parent, string key, string path, string where)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new InvalidDataException($"{path}: {where}{key} must be an integer, found {value.GetRawText()}");
    }

    /// <summary>A vocabulary object: token → id, ids non-negative 32-bit integers and unique.</summary>
    public static Dictionary<string, int> ReadVocab(JsonElement element, string path, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: {where} must be an object of token → id, found {element.ValueKind}");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<int, string>();
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                throw new InvalidDataException($"{path}: {where}: token '{entry.Name}' has id {entry.Value.GetRawText()}, expected a non-negative integer");
            if (byId.TryGetValue(id, out var other))
                throw new InvalidDataException($"{path}: {where}: tokens '{other}' and '{entry.Name}' share id {id}");
            if (!vocab.TryAdd(entry.Name, id))
                throw new InvalidDataException($"{path}: {where}: token '{entry.Name}' appears twice");
            byId[id] = entry.Name;
        }
        if (vocab.Count == 0) throw new InvalidDataException($"{path}: {where} is empty");
        return vocab;
    }
}
