using System.Text;

namespace CogLtx.Tensors.Io;

/// <summary>
/// The one way this project writes a file that a reader may open while it is written or after a crash: the content
/// goes to a temporary file beside the target, is flushed to disk (fsync), and only then is renamed over the target,
/// so a reader sees the old file or the complete new one, never a part. It lives in the lowest project that every
/// writer references (Nn's safetensors, Data's vocabularies, Models, Training, Experiments); checkpoint folders are
/// swapped whole by <c>CogLtx.Nn.CheckpointStore</c>, which flushes each file with <see cref="FlushToDisk"/>.
/// Resumable downloads (<c>.part</c> files in CogLtx.Data) are a different concern: they keep partial bytes on purpose.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteStream(path, stream =>
    {
        var bytes = Utf8NoBom.GetBytes(text);
        stream.Write(bytes);
    });

    /// <summary>Writes each line followed by "\n" (UTF-8 without a byte-order mark).</summary>
    public static void WriteAllLines(string path, IEnumerable<string> lines) => WriteStream(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>Writes through <paramref name="write"/> into a stream over the temporary file.</summary>
    public static void WriteStream(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            write(stream);
        });
    }

    /// <summary>
    /// Runs <paramref name="write"/> on a temporary path in the target's folder (created if missing), flushes the file
    /// it wrote to disk, then moves it over <paramref name="path"/>. On failure the temporary file is removed and the
    /// target is left as it was.
    /// </summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            if (!File.Exists(temp)) throw new IOException($"{full}: the writer produced no file (expected {temp})");
            FlushToDisk(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Flushes an existing file's content to the disk (fsync), so that a crash after this call keeps it.</summary>
    public static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
    }
}
