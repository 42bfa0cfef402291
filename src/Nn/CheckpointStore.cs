using CogLtx.Tensors.Io;

namespace CogLtx.Nn;

/// <summary>
/// Atomic checkpoint directories under a root: a checkpoint is written completely into a fresh temporary folder,
/// every file is flushed to disk, a <c>COMPLETE</c> marker is written last, and only then is it swapped in:
/// <c>checkpoint</c> → <c>checkpoint.old</c>, temporary → <c>checkpoint</c>, <c>checkpoint.old</c> deleted.
/// A kill at any moment leaves either the old or the new complete checkpoint findable by <see cref="Find"/>; a
/// half-written folder is never read (no marker) and is removed by the next save. Used by every trainer (joint training
/// of judge and reasoner, and the baselines' fine-tuning) so that all checkpoints are written and found one way.
/// </summary>
public static class CheckpointStore
{
    /// <summary>Folder name of the latest complete checkpoint.</summary>
    public const string CurrentName = "checkpoint";
    /// <summary>Folder name of the checkpoint before it, kept until the next one is complete.</summary>
    public const string PreviousName = "checkpoint.old";
    /// <summary>File whose presence marks a checkpoint folder as complete.</summary>
    public const string MarkerFile = "COMPLETE";
    private const string TempPrefix = "checkpoint.tmp-";

    /// <summary>
    /// Writes a checkpoint with <paramref name="write"/> (given the folder to fill) and swaps it in; returns the final
    /// folder. <paramref name="beforeSwap"/> runs between the two renames (a test seam for a kill at that moment).
    /// </summary>
    public static string Save(string root, Action<string> write, Action? beforeSwap = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(root);
        foreach (var stale in Directory.GetDirectories(root, TempPrefix + "*")) Directory.Delete(stale, recursive: true);
        var temp = Path.Combine(root, TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            foreach (var file in Directory.GetFiles(temp, "*", SearchOption.AllDirectories)) AtomicFile.FlushToDisk(file);
            var marker = Path.Combine(temp, MarkerFile);
            File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
            AtomicFile.FlushToDisk(marker);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }

        var current = Path.Combine(root, CurrentName);
        var previous = Path.Combine(root, PreviousName);
        if (Directory.Exists(current))
        {
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
            Directory.Move(current, previous);
        }
        beforeSwap?.Invoke();
        Directory.Move(temp, current);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        return current;
    }

    /// <summary>The newest complete checkpoint under <paramref name="root"/>, or null when there is none.</summary>
    public static string? Find(string root)
    {
        foreach (var name in new[] { CurrentName, PreviousName })
        {
            var dir = Path.Combine(root, name);
            if (File.Exists(Path.Combine(dir, MarkerFile))) return dir;
        }
        return null;
    }
}
