using System.Diagnostics;
using System.Text.Json;

namespace CogLtx.Architecture.Tests;

/// <summary>
/// The packages, checked on the properties MSBuild evaluates for each project under src/ (<c>dotnet msbuild
/// -getProperty</c>; nothing is built): the pipeline an application references (the README's "Embedding the
/// pipeline": CogLtx.Training) packs together with everything it references, each with a description and XML
/// documentation whose missing comments (CS1591) are errors, and src/Cli packs as the <c>cogltx</c> .NET tool.
/// scripts/pack.sh packs them and installs the tool offline.
/// </summary>
public sealed class PackagingTests
{
    const string Pipeline = "CogLtx.Training";

    static readonly string[] Properties =
        ["IsPackable", "GenerateDocumentationFile", "NoWarn", "TreatWarningsAsErrors", "Description", "Authors", "PackAsTool", "ToolCommandName", "PackageId"];

    static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Evaluated = new(() =>
        ProjectLayeringTests.Graph(Path.Combine(ProjectLayeringTests.RepoRoot(), "src")).Keys
            .ToDictionary(p => p, p => Evaluate(Path.Combine(ProjectLayeringTests.RepoRoot(), "src", p["CogLtx.".Length..], p + ".csproj"))));

    [Fact]
    public void ThePipelineAndEverythingItReferencesPackWithDocumentedApi()
    {
        var graph = ProjectLayeringTests.Graph(Path.Combine(ProjectLayeringTests.RepoRoot(), "src"));
        var closure = Closure(graph, Pipeline);
        Assert.Contains("CogLtx.Tensors", closure);
        var problems = new List<string>();
        foreach (var project in closure.Order(StringComparer.Ordinal))
        {
            var p = Evaluated.Value[project];
            if (p["IsPackable"] != "true") problems.Add($"{project}: IsPackable is '{p["IsPackable"]}'");
            if (p["GenerateDocumentationFile"] != "true") problems.Add($"{project}: GenerateDocumentationFile is '{p["GenerateDocumentationFile"]}'");
            if (p["TreatWarningsAsErrors"] != "true") problems.Add($"{project}: TreatWarningsAsErrors is '{p["TreatWarningsAsErrors"]}'");
            if (p["NoWarn"].Split(';', ',').Select(w => w.Trim()).Contains("CS1591")) problems.Add($"{project}: NoWarn suppresses CS1591 ({p["NoWarn"]})");
            if (string.IsNullOrWhiteSpace(p["Description"])) problems.Add($"{project}: no Description");
            if (p["Authors"] != "CogLtx contributors") problems.Add($"{project}: Authors is '{p["Authors"]}'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void APackedLibraryReferencesOnlyPackedLibraries()
    {
        // A ProjectReference becomes a package dependency: one on a project that does not pack could not be restored.
        var graph = ProjectLayeringTests.Graph(Path.Combine(ProjectLayeringTests.RepoRoot(), "src"));
        var packable = graph.Keys.Where(p => Evaluated.Value[p]["IsPackable"] == "true" && Evaluated.Value[p]["PackAsTool"] != "true").ToHashSet();
        var broken = packable.SelectMany(p => graph[p].Where(r => !packable.Contains(r)).Select(r => $"{p} -> {r}")).Order().ToList();
        Assert.True(broken.Count == 0, "packed libraries referencing projects that do not pack:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void CliPacksAsTheCogltxTool()
    {
        var cli = Evaluated.Value["CogLtx.Cli"];
        Assert.Equal(("true", "true", "cogltx", "CogLtx.Cli"), (cli["IsPackable"], cli["PackAsTool"], cli["ToolCommandName"], cli["PackageId"]));
        Assert.False(string.IsNullOrWhiteSpace(cli["Description"]), "CogLtx.Cli has no Description");
    }

    static HashSet<string> Closure(IReadOnlyDictionary<string, HashSet<string>> graph, string root)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([root]);
        while (stack.TryPop(out var p))
            if (seen.Add(p))
                foreach (var r in graph[p]) stack.Push(r);
        return seen;
    }

    static Dictionary<string, string> Evaluate(string csproj)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "msbuild", csproj, "-nologo" }.Concat(Properties.Select(p => "-getProperty:" + p))) start.ArgumentList.Add(arg);
        // The test host's MSBuild variables would point the child at the host's SDK resolution, not the repository's.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {csproj} exited {process.ExitCode}:\n{stdout.Result}\n{stderr}");
        using var json = JsonDocument.Parse(stdout.Result);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
