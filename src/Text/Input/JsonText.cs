using System.Text.Json;

namespace CogLtx.Text.Input;

/// <summary>
/// The JSON side of the text rule (<see cref="Utf8Input"/>): a string value may escape a lone surrogate
/// (<c>"\ud800"</c>), which is not Unicode text and which <see cref="JsonElement.GetString"/> refuses with an
/// <see cref="InvalidOperationException"/>. Readers of JSON text take strings through here and turn that into an
/// error naming the field instead of a crash.
/// </summary>
public static class JsonText
{
    /// <summary>The value of a JSON string; false when it escapes a lone surrogate.</summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        if (value.ValueKind != JsonValueKind.String) throw new ArgumentException($"expected a JSON string, found {value.ValueKind}", nameof(value));
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>The value of a JSON string.</summary>
    /// <exception cref="InvalidDataException">It escapes a lone surrogate; the message names <paramref name="what"/>.</exception>
    public static string GetString(JsonElement value, string what) =>
        TryGetString(value, out var text) ? text : throw new InvalidDataException(LoneSurrogate(what));

    /// <summary><c>field 'text' escapes a lone surrogate (\uD800–\uDFFF without its pair); text must be valid Unicode</c>.</summary>
    public static string LoneSurrogate(string what) => $"{what} escapes a lone surrogate (\\uD800–\\uDFFF without its pair); text must be valid Unicode";
}
