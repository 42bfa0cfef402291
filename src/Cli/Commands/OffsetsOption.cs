using System.CommandLine;
using CogLtx.Text.Input;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>--offsets utf16|code-points</c> of the commands that print character offsets (tokenize, split, predict): UTF-16
/// code units by default, as .NET indexes strings, or code points, as Python's <c>str</c> and Hugging Face's
/// <c>offset_mapping</c> do (the training JSONL's convention). They differ only after a character outside the BMP.
/// </summary>
internal static class OffsetsOption
{
    public static Option<string> Create() => new("--offsets")
    {
        Description = "Unit of the character offsets printed: utf16 (default, .NET string indices) or code-points (Python str indices, as Hugging Face and the training JSONL count)",
        DefaultValueFactory = _ => "utf16",
    };

    /// <summary>The unit named by the option's value; an unknown name is an <see cref="ArgumentException"/> naming it.</summary>
    public static OffsetUnit Parse(string? value) => value switch
    {
        null or "utf16" => OffsetUnit.Utf16,
        "code-points" => OffsetUnit.CodePoints,
        _ => throw new ArgumentException($"offsets must be utf16 or code-points, got '{value}'"),
    };
}
