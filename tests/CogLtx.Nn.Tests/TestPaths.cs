using System.Runtime.CompilerServices;

namespace CogLtx.Nn.Tests;

/// <summary>Locates the repository (the folder holding CogLtx.sln), its committed fixtures and ../shared.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>tests/fixtures/&lt;relative&gt;.</summary>
    public static string Fixture(string relative) => Path.Combine(RepoRoot, "tests", "fixtures", relative);

    /// <summary>../shared/fixtures beside the repository (present on the dev machines and in CI).</summary>
    public static string SharedFixtures => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures"));

    public static bool HasSharedFixtures => Directory.Exists(Path.Combine(SharedFixtures, "models"));

    // Walk up from the test binaries first; with COGLTX_ARTIFACTS they live outside the tree, so fall back to
    // this source file's location.
    private static string FindRoot() =>
        WalkUp(AppContext.BaseDirectory) ?? WalkUp(Path.GetDirectoryName(SourcePath())!)
        ?? throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {SourcePath()}");

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        return null;
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}

/// <summary>A fact that is skipped when ../shared/fixtures is absent (a clone without the shared folder).</summary>
public sealed class SharedFixturesFactAttribute : FactAttribute
{
    public SharedFixturesFactAttribute()
    {
        if (!TestPaths.HasSharedFixtures) Skip = $"../shared/fixtures not found at {TestPaths.SharedFixtures}";
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("cogltx-nn-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Tensor comparisons with the fixture README's tolerance shape: max|a − b| ≤ atol + rtol · max|b|.</summary>
internal static class Close
{
    public static void All(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        double maxAbs = 0, maxDiff = 0;
        var worst = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
            var d = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(d) || d > maxDiff) { maxDiff = double.IsNaN(d) ? double.PositiveInfinity : d; worst = i; }
        }
        var limit = atol + rtol * maxAbs;
        Assert.True(maxDiff <= limit, $"{what}: max |diff| {maxDiff:G4} at {worst} (expected {(worst >= 0 ? expected[worst] : 0)}, got {(worst >= 0 ? actual[worst] : 0)}) > {limit:G4}");
    }
}
