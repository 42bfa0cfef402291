using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace CogLtx.Cli.Tests;

/// <summary>What one run of the tool gave: exit code, stdout and stderr (both redirected, as in a script).</summary>
public sealed record CliResult(string[] Args, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() =>
        $"cogltx {string.Join(' ', Args)} → exit {ExitCode}\n--- stdout ---\n{Clip(Stdout)}\n--- stderr ---\n{Clip(Stderr)}";

    private static string Clip(string s) => s.Length <= 4000 ? s : s[..4000] + $"… ({s.Length} chars)";
}

/// <summary>
/// Runs the built tool (cogltx.dll, copied beside the tests by the project reference) as a child process with
/// redirected stdin, stdout and stderr, the way scripts use it. The assertions here are the tool's output rules:
/// data on stdout, progress and errors on stderr, no ANSI escape codes, and no line wrapped at a guessed width.
/// </summary>
internal static partial class Cli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string RepoRoot { get; } = FindRoot();

    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);

    public static CliResult Run(string? stdin, params string[] args) => RunIn(null, stdin is null ? null : Encoding.UTF8.GetBytes(stdin), args);

    /// <summary>Runs with raw bytes on stdin (for input that is not valid UTF-8).</summary>
    public static CliResult RunBytes(byte[] stdin, params string[] args) => RunIn(null, stdin, args);

    public static CliResult RunIn(string? workingDirectory, byte[]? stdin, params string[] args) => RunCore(workingDirectory, stdin, null, args);

    /// <summary>Runs with extra environment variables set for the child (e.g. HF_HUB_CACHE).</summary>
    public static CliResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) => RunCore(null, null, environment, args);

    private static CliResult RunCore(string? workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "cogltx.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the tool is not beside the tests: {dll} (build tests/CogLtx.Cli.Tests)");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["COGLTX_THREADS"] = "1";
        info.Environment.Remove("COGLTX_DATA");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cogltx {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }
        var result = new CliResult(args, process.ExitCode, stdout.Result, stderr.Result);
        AssertPlain(result);
        return result;
    }

    /// <summary>Exit 0 and nothing but data on stdout (checked by the caller).</summary>
    public static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"expected exit 0\n{result}");
        return result;
    }

    /// <summary>A failed run: non-zero exit, nothing on stdout, an error on stderr that contains every fragment.</summary>
    public static void Fails(CliResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode != 0, $"expected a failure\n{result}");
        Assert.True(result.Stdout.Trim().Length == 0, $"a failed run printed data on stdout\n{result}");
        foreach (var f in fragments)
            Assert.True(result.Stderr.Contains(f, StringComparison.Ordinal), $"stderr does not name \"{f}\"\n{result}");
        Assert.DoesNotContain("   at ", result.Stderr);   // a message, not a stack trace
    }

    /// <summary>Redirected output carries no escape sequences (colours, cursor moves) on either stream.</summary>
    private static void AssertPlain(CliResult result)
    {
        Assert.False(result.Stdout.Contains('\u001b'), $"ANSI escape code on stdout\n{result}");
        Assert.False(result.Stderr.Contains('\u001b'), $"ANSI escape code on stderr\n{result}");
    }

    /// <summary>Cells of the body rows of Spectre tables in <paramref name="text"/> (lines starting with │), trimmed.</summary>
    public static List<string[]> TableRows(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Trim().Trim('│').Split('│').Select(c => c.Trim()).ToArray())];

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\]")]
    public static partial Regex TimestampedLine();

    private static string FindRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null && start.Length > 0; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {source}");
    }
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cogltx-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
