using CogLtx.Tensors.Io;
using CogLtx.Text.Tokenization;

namespace CogLtx.Models;

/// <summary>
/// Writes <see cref="TokenizerConfigFile"/>'s <c>tokenizer_config.json</c> into a tokenizer folder through
/// <see cref="Tensors.Io.AtomicFile"/> (temporary file, fsync, rename). It lives here, the lowest project that references
/// both Text, which builds the content, and Tensors, which holds the one atomic writer.
/// </summary>
public static class TokenizerConfigWriter
{
    /// <summary>
    /// Makes <c>directory/tokenizer_config.json</c> hold <see cref="TokenizerConfigFile.Content"/> (see there for the
    /// arguments), written atomically.
    /// </summary>
    public static void Ensure(string directory, int modelMaxLength, bool? doLowerCase = null, bool overrideMaxLength = false, string? lowercaseSource = null) =>
        AtomicFile.WriteAllText(Path.Combine(directory, TokenizerConfigFile.FileName),
            TokenizerConfigFile.Content(directory, modelMaxLength, doLowerCase, overrideMaxLength, lowercaseSource));
}
