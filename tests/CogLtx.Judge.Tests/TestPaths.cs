using System.Runtime.CompilerServices;

namespace CogLtx.Judge.Tests;

/// <summary>
/// Paths of committed test data under the repository root (the folder holding CogLtx.sln), found walking up from the
/// test binaries or, when they are built outside the tree (COGLTX_ARTIFACTS), from this source file's compile-time path.
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory())
        ?? throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {SourceDirectory()}");

    public static string Fixture(params string[] parts) =>
        Path.Combine([RepoRoot, "tests", "CogLtx.Judge.Tests", "Fixtures", .. parts]);

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        return null;
    }
}
