using System.Text.Json;
using CogLtx.Text.Input;

namespace CogLtx.Data;

/// <summary>A record that parsed as JSON but does not have the expected shape; the reader adds file and line.</summary>
internal sealed class FieldException(string message) : Exception(message);

/// <summary>Typed access to JSON object fields with errors that name the field and what was found.</summary>
internal static class JsonFields
{
    public static JsonElement Required(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FieldException($"missing field '{name}'");

    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string RequiredString(JsonElement obj, string name) => AsString(Required(obj, name), $"field '{name}'");

    public static string? OptionalString(JsonElement obj, string name) =>
        Optional(obj, name) is { } value ? AsString(value, $"field '{name}'") : null;

    public static JsonElement RequiredArray(JsonElement obj, string name) => AsArray(Required(obj, name), $"field '{name}'");

    public static string AsString(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String) throw Wrong(what, "a string", value);
        return JsonText.TryGetString(value, out var text) ? text : throw new FieldException(JsonText.LoneSurrogate(what));
    }

    /// <summary>A property's name; an error when the name escapes a lone surrogate.</summary>
    public static string Name(JsonProperty property, string what)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw new FieldException(JsonText.LoneSurrogate(what));
        }
    }

    public static JsonElement AsArray(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Array ? value : throw Wrong(what, "a list", value);

    public static int AsInt(JsonElement value, string what) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Wrong(what, "an integer", value);

    /// <summary>Element <paramref name="index"/> of a list, or an error saying how long the list is.</summary>
    public static JsonElement At(JsonElement array, int index, string what) =>
        index < array.GetArrayLength()
            ? array[index]
            : throw new FieldException($"{what} has {array.GetArrayLength()} items, expected at least {index + 1}");

    private static FieldException Wrong(string what, string expected, JsonElement found)
    {
        var text = found.GetRawText();
        if (text.Length > 40) text = text[..40] + "…";
        return new FieldException($"{what} must be {expected}, found {found.ValueKind} {text}");
    }
}
