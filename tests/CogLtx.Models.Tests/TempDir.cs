namespace CogLtx.Models.Tests;

/// <summary>A scratch folder deleted on dispose; <see cref="CopyOf"/> starts it from a fixture checkpoint.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cogltx-models-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A new folder with the fixture's config.json and model.safetensors.</summary>
    public static TempDir CopyOf(string fixture)
    {
        var dir = new TempDir();
        foreach (var name in new[] { "config.json", "model.safetensors" })
            System.IO.File.Copy(System.IO.Path.Combine(Fixtures.ModelDir(fixture), name), dir.File(name));
        return dir;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
