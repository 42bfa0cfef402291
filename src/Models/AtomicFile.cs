namespace CogLtx.Models;

/// <summary>
/// The Models project's name for <see cref="Tensors.Io.AtomicFile"/> (temporary file, fsync, rename), kept so that code
/// in this project can write <c>AtomicFile.Write</c> without another using directive.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Tensors.Io.AtomicFile.WriteAllText(path, text);

    /// <summary>Runs <paramref name="write"/> on a temporary path beside <paramref name="path"/>, then moves it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write) => Tensors.Io.AtomicFile.Write(path, write);
}
