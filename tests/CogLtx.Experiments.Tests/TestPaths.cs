using System.Runtime.CompilerServices;

namespace CogLtx.Experiments.Tests;

/// <summary>
/// The repository root (the folder holding CogLtx.sln), found from this source file's location: with
/// COGLTX_ARTIFACTS the test binaries live outside the tree, so walking up from them would not find it.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no CogLtx.sln above {SourcePath()}");
    });

    public static string RepoRoot => Root.Value;

    private static string SourcePath([CallerFilePath] string path = "") => path;
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("cogltx-exp-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
