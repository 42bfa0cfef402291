using System.Xml.Linq;

namespace CogLtx.Architecture.Tests;

/// <summary>
/// The layering of the README's "Layout" section, checked on the ProjectReference graph of the .csproj files under
/// src/: references point down only. Tensors and Text are leaves; MemRecall depends on Text alone (so that it is
/// tested with a fake scorer); only Cli composes everything. A new project under src/ fails
/// <see cref="EverySourceProjectHasALayer"/> until it is given a layer here.
/// </summary>
public sealed class ProjectLayeringTests
{
    /// <summary>
    /// Layer of each project under src/. A project may reference only projects in a strictly lower layer; projects in
    /// one layer are independent of each other.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        ["CogLtx.Tensors"] = 0,
        ["CogLtx.Text"] = 0,
        ["CogLtx.Nn"] = 1,
        ["CogLtx.Splitter"] = 1,
        ["CogLtx.MemRecall"] = 1,
        ["CogLtx.Data"] = 1,
        ["CogLtx.Models"] = 2,
        ["CogLtx.Judge"] = 3,
        ["CogLtx.Reasoner"] = 3,
        ["CogLtx.Baselines"] = 4,
        ["CogLtx.Training"] = 5,
        ["CogLtx.Experiments"] = 6,
        ["CogLtx.Cli"] = 7,
    };

    /// <summary>Projects whose references are fixed exactly, beyond the layer rule.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> ExactReferences = new Dictionary<string, string[]>
    {
        ["CogLtx.Tensors"] = [],
        ["CogLtx.Text"] = [],
        ["CogLtx.MemRecall"] = ["CogLtx.Text"],
    };

    const string Root = "CogLtx.Cli";

    [Fact]
    public void EverySourceProjectHasALayer()
    {
        var missing = SourceGraph().Keys.Where(p => !Layers.ContainsKey(p)).ToList();
        var stale = Layers.Keys.Where(p => !SourceGraph().ContainsKey(p)).ToList();
        Assert.True(missing.Count == 0, $"src/ projects without a layer in {nameof(Layers)}: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"{nameof(Layers)} names projects not under src/: {string.Join(", ", stale)}");
    }

    [Fact]
    public void SourceReferencesPointToLowerLayers()
    {
        var violations = LayerViolations(SourceGraph(), Layers);
        Assert.True(violations.Count == 0, "References that do not point to a lower layer:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void LeavesAndMemRecallReferenceExactlyWhatTheLayoutSays()
    {
        var graph = SourceGraph();
        foreach (var (project, expected) in ExactReferences)
            Assert.True(graph[project].SetEquals(expected),
                $"{project} references [{string.Join(", ", graph[project].Order())}], the layout allows [{string.Join(", ", expected)}]");
    }

    [Fact]
    public void OnlyCliIsARootAndNothingReferencesTestsOrBenchmarks()
    {
        var graph = SourceGraph();
        var referenced = graph.Values.SelectMany(r => r).ToHashSet();
        var roots = graph.Keys.Where(p => !referenced.Contains(p)).Order().ToList();
        Assert.Equal([Root], roots);
        var outside = graph.SelectMany(kv => kv.Value.Where(r => !graph.ContainsKey(r)).Select(r => $"{kv.Key} -> {r}")).ToList();
        Assert.True(outside.Count == 0, "src/ projects referencing projects outside src/:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void TestProjectsReferenceTheirOwnSourceProjectOnly()
    {
        var tests = Graph(Path.Combine(RepoRoot(), "tests"));
        foreach (var (test, refs) in tests)
        {
            if (test == "CogLtx.Architecture.Tests") continue;
            var own = test[..^".Tests".Length];
            Assert.True(refs.SetEquals([own]), $"{test} references [{string.Join(", ", refs.Order())}], expected [{own}]");
        }
    }

    [Fact]
    public void TheRuleRejectsUpwardAndSidewaysEdges()
    {
        // The rule itself on a hand-made graph, independent of the repository: one edge down (allowed), one up, one
        // within a layer.
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["CogLtx.Text"] = ["CogLtx.Models"],
            ["CogLtx.Judge"] = ["CogLtx.Reasoner", "CogLtx.Models"],
        };
        Assert.Equal(
            ["CogLtx.Judge (layer 3) -> CogLtx.Reasoner (layer 3)", "CogLtx.Text (layer 0) -> CogLtx.Models (layer 2)"],
            LayerViolations(graph, Layers));
    }

    internal static List<string> LayerViolations(IReadOnlyDictionary<string, HashSet<string>> graph, IReadOnlyDictionary<string, int> layers) =>
        graph.Where(kv => layers.ContainsKey(kv.Key))
            .SelectMany(kv => kv.Value.Where(r => !layers.TryGetValue(r, out var l) || l >= layers[kv.Key])
                .Select(r => $"{kv.Key} (layer {layers[kv.Key]}) -> {r} (layer {(layers.TryGetValue(r, out var l) ? l.ToString() : "none")})"))
            .Order(StringComparer.Ordinal)
            .ToList();

    static Dictionary<string, HashSet<string>> SourceGraph() => Graph(Path.Combine(RepoRoot(), "src"));

    /// <summary>Project name → names of the projects it references, for every .csproj under <paramref name="dir"/>.</summary>
    internal static Dictionary<string, HashSet<string>> Graph(string dir)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var csproj in Directory.EnumerateFiles(dir, "*.csproj", SearchOption.AllDirectories))
        {
            if (csproj.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var refs = XDocument.Load(csproj).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => (string?)e.Attribute("Include") ?? "")
                .Select(inc => Path.GetFileNameWithoutExtension(inc.Replace('\\', '/')))
                .ToHashSet();
            graph.Add(Path.GetFileNameWithoutExtension(csproj), refs);
        }
        return graph;
    }

    /// <summary>The first directory above the test's base directory that holds CogLtx.sln.</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No CogLtx.sln above {AppContext.BaseDirectory}");
    }
}
