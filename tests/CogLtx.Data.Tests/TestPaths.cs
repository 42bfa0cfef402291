using System.Runtime.CompilerServices;

namespace CogLtx.Data.Tests;

/// <summary>Paths the tests read: the committed samples and the optional real-data mirror.</summary>
internal static class TestPaths
{
    /// <summary>The repository root: the first ancestor of the test binaries that holds CogLtx.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>tests/CogLtx.Data.Tests/Samples: tiny hand-made files in each real format.</summary>
    public static string Samples { get; } = Path.Combine(RepositoryRoot, "tests", "CogLtx.Data.Tests", "Samples");

    /// <summary>The real-data mirror: COGLTX_DATA when set, else ../shared/data beside the repository.</summary>
    public static string RealData { get; } = DataDirectory.Resolve(null, name =>
        Environment.GetEnvironmentVariable(name) ?? Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string Sample(string name) => Path.Combine(Samples, name);

    /// <summary>
    /// Walks up from the test binaries; when they live outside the tree (COGLTX_ARTIFACTS), from this source file's
    /// compile-time path instead.
    /// </summary>
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null && start.Length > 0; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}

/// <summary>A fact that runs only when the real-data mirror has the named dataset folder; skipped otherwise.</summary>
internal sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(string folder)
    {
        if (!Directory.Exists(Path.Combine(TestPaths.RealData, folder)))
            Skip = $"real data folder {folder} not found under {TestPaths.RealData}";
    }
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cogltx-data-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
