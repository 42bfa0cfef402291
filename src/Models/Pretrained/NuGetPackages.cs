using System.Diagnostics;
using System.Security;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// Fetches a NuGet package into the global packages folder with the machine's own NuGet configuration (no host
/// names here): a temporary restore-only project holding one <c>&lt;PackageDownload&gt;</c> is restored with
/// <c>dotnet restore</c>, which downloads the package without resolving its dependencies. Nothing from the package
/// is loaded or executed.
/// </summary>
internal static class NuGetPackages
{
    /// <summary>The global packages folder: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Where <paramref name="id"/> <paramref name="version"/> is (or would be) extracted.</summary>
    public static string PackageFolder(string id, string version) =>
        Path.Combine(GlobalPackagesFolder, id.ToLowerInvariant(), version.ToLowerInvariant());

    /// <summary>True when the package is fully extracted (NuGet writes <c>.nupkg.metadata</c> last).</summary>
    public static bool IsInstalled(string id, string version) => File.Exists(Path.Combine(PackageFolder(id, version), ".nupkg.metadata"));

    /// <summary>
    /// Makes sure the package is in the global packages folder and returns its folder. Throws
    /// <see cref="InvalidOperationException"/> naming the package and quoting restore's errors when it cannot be restored.
    /// <paramref name="restoreSources"/> replaces the configured sources (tests use an empty local folder).
    /// </summary>
    public static string Ensure(string id, string version, Action<string>? progress = null, string? restoreSources = null)
    {
        if (IsInstalled(id, version)) return PackageFolder(id, version);
        progress?.Invoke($"restoring NuGet package {id} {version}");
        var work = Path.Combine(Path.GetTempPath(), "cogltx-restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var project = Path.Combine(work, "restore.csproj");
            File.WriteAllText(project, RestoreProject(id, version));
            var arguments = new List<string>
            {
                "restore", project, "--nologo", "-v", "q",
                "-p:ImportDirectoryBuildProps=false", "-p:ImportDirectoryPackagesProps=false", "-p:ImportDirectoryBuildTargets=false",
            };
            if (restoreSources is not null) arguments.Add($"-p:RestoreSources={restoreSources}");
            var (exit, output) = Run(DotnetHost(), arguments, work);
            if (exit != 0 || !IsInstalled(id, version))
                throw new InvalidOperationException(
                    $"NuGet package {id} {version} could not be restored (dotnet restore exited with {exit}): {Errors(output)}");
            return PackageFolder(id, version);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string RestoreProject(string id, string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
          </PropertyGroup>
          <ItemGroup>
            <PackageDownload Include="{SecurityElement.Escape(id)}" Version="[{SecurityElement.Escape(version)}]" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The dotnet executable running this process (DOTNET_HOST_PATH when set by the SDK), else "dotnet" on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static (int Exit, string Output) Run(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The error lines of restore's output (NU1101 etc.), or its last lines.</summary>
    private static string Errors(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(5).ToList();
        return string.Join(" | ", errors.Count > 0 ? errors : lines.TakeLast(5));
    }
}
