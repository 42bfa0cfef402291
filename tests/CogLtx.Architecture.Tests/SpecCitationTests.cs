using System.Text.RegularExpressions;

namespace CogLtx.Architecture.Tests;

/// <summary>
/// Every <c>spec §N</c> citation in src/, tests/, docs/, experiments/ (*.cs, *.md, *.json) and README.md names a
/// section that a heading of docs/spec.md defines (<c>## 5. Training</c> defines 5, <c>### 5.3 Reasoner …</c> defines
/// 5.3). A citation may go on with more sections: <c>spec §5.3, §9.4</c>, <c>spec §5.6/§9.8</c>, and ranges
/// <c>spec §9.2–9.4</c> or <c>spec §1–§5</c>, whose every section must exist. A bare <c>§N</c> without "spec" is not
/// read: the code also cites the paper ([P] §4.4) and other documents that way.
/// </summary>
public sealed class SpecCitationTests
{
    static readonly string[] Folders = ["src", "tests", "docs", "experiments"];
    static readonly string[] Extensions = [".cs", ".md", ".json"];

    /// <summary>This file's examples cite a made-up section on purpose.</summary>
    const string ThisFile = "tests/CogLtx.Architecture.Tests/SpecCitationTests.cs";

    const string Number = @"\d+(?:\.\d+)*";

    /// <summary>
    /// "spec §" and a section, then any number of ", §M" / "/§M" (another section) or "–M" / "–§M" (a range). After a
    /// comma or slash the § is required, so that "spec §7, 12 blocks" cites §7 only.
    /// </summary>
    static readonly Regex Citation = new(
        $@"\bspec\s+§(?<first>{Number})(?<more>(?:\s*[,/]\s*§{Number}|\s*–\s*§?{Number}|-§?{Number})*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    static readonly Regex Continuation = new($@"(?<sep>[,/–-])\s*§?(?<number>{Number})", RegexOptions.CultureInvariant);

    static readonly Regex Heading = new($@"^#{{1,6}}\s+(?<number>{Number})\.?\s", RegexOptions.CultureInvariant);

    static readonly Lazy<HashSet<string>> SpecSections = new(() =>
        Sections(File.ReadAllText(Path.Combine(ProjectLayeringTests.RepoRoot(), "docs", "spec.md"))));

    static readonly Lazy<List<SpecCitation>> RepositoryCitations = new(() =>
        SourceFiles().SelectMany(f => Citations(f, File.ReadAllText(Path.Combine(ProjectLayeringTests.RepoRoot(), f)))).ToList());

    [Fact]
    public void EverySpecCitationResolvesToASectionOfDocsSpec()
    {
        var unresolved = Unresolved(RepositoryCitations.Value, SpecSections.Value);
        Assert.True(unresolved.Count == 0,
            $"{unresolved.Count} spec § citations name no section of docs/spec.md (defined: {string.Join(" ", SpecSections.Value.Order(SectionOrder.Instance))}):\n"
            + string.Join("\n", unresolved));
    }

    [Fact]
    public void TheScanReadsTheRepositorysCitationsAndSpecHeadings()
    {
        // Guards against a scan that finds nothing (a moved folder, a changed heading style) and so passes vacuously.
        var citations = RepositoryCitations.Value;
        Assert.True(citations.Count >= 150, $"only {citations.Count} spec § citations found");
        Assert.True(citations.Select(c => c.File).Distinct().Count() >= 50, "spec § citations found in fewer than 50 files");
        Assert.Contains(citations, c => c.File == "README.md");
        Assert.Contains(citations, c => c.File.StartsWith("experiments/", StringComparison.Ordinal) && c.File.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(citations, c => c.File.StartsWith("src/", StringComparison.Ordinal) && c.Section == "9.12");
        Assert.DoesNotContain(citations, c => c.File == ThisFile);
        foreach (var section in new[] { "0", "1", "5", "5.1", "5.6", "9", "9.1", "9.15", "10" })
            Assert.Contains(section, SpecSections.Value);
    }

    [Fact]
    public void TheResolverReadsEveryFormAndRejectsAMadeUpSection()
    {
        const string text = """
            /// Latent relevance (spec §5.1, §9.7): the only epochs that intervene.
            a (Spec §5.6/§9.8: AdamW) and spec §9.2–9.4 and (spec §1–§3 constants), spec §9.4's cap.
            spec §7, 12 blocks; the placeholder `spec §N`; paper [P] §4.4 and §9.9 without "spec".
            the schedule of spec §99.9 and spec §5.9
            """;
        var citations = Citations("x.cs", text);
        Assert.Equal(
            ["1:5.1", "1:9.7", "2:5.6", "2:9.8", "2:9.2", "2:9.3", "2:9.4", "2:1", "2:2", "2:3", "2:9.4", "3:7", "4:99.9", "4:5.9"],
            citations.Select(c => $"{c.Line}:{c.Section}"));
        var sections = Sections("""
            # Title
            ## 1. One
            ## 2. Two
            ### 2.1 Sub
            #### Not numbered
            """);
        Assert.Equal(["1", "2", "2.1"], sections.Order(SectionOrder.Instance));
        Assert.Equal(["x.cs:4: spec §99.9", "x.cs:4: spec §5.9"], Unresolved(citations, SpecSections.Value));
        Assert.Equal(["x.cs:1: spec §5.1", "x.cs:1: spec §9.7"], Unresolved(citations.Where(c => c.Line == 1), sections));
    }

    /// <summary>One cited section: repository-relative file (forward slashes), 1-based line, section number.</summary>
    internal sealed record SpecCitation(string File, int Line, string Section);

    internal static List<string> Unresolved(IEnumerable<SpecCitation> citations, IReadOnlySet<string> sections) =>
        citations.Where(c => !sections.Contains(c.Section)).Select(c => $"{c.File}:{c.Line}: spec §{c.Section}").ToList();

    /// <summary>The section numbers that the headings of a spec text define.</summary>
    internal static HashSet<string> Sections(string spec) =>
        spec.Split('\n').Select(l => Heading.Match(l)).Where(m => m.Success).Select(m => m.Groups["number"].Value).ToHashSet();

    /// <summary>Every section cited in <paramref name="text"/>, ranges expanded, in order of appearance.</summary>
    internal static IEnumerable<SpecCitation> Citations(string file, string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            foreach (Match m in Citation.Matches(lines[i]))
            {
                var previous = m.Groups["first"].Value;
                yield return new SpecCitation(file, i + 1, previous);
                foreach (Match more in Continuation.Matches(m.Groups["more"].Value))
                {
                    var number = more.Groups["number"].Value;
                    var range = more.Groups["sep"].Value is "–" or "-";
                    foreach (var section in range ? RangeAfter(previous, number) : [number])
                        yield return new SpecCitation(file, i + 1, section);
                    previous = number;
                }
            }
    }

    /// <summary>
    /// The sections after <paramref name="from"/> up to <paramref name="to"/>: 9.2–9.4 gives 9.3, 9.4; endpoints that
    /// differ elsewhere than in their last part (5.6–6) give <paramref name="to"/> alone.
    /// </summary>
    static IEnumerable<string> RangeAfter(string from, string to)
    {
        var a = from.Split('.');
        var b = to.Split('.');
        if (a.Length != b.Length || !a[..^1].SequenceEqual(b[..^1]) || int.Parse(a[^1]) >= int.Parse(b[^1]))
            return [to];
        var prefix = string.Concat(a[..^1].Select(p => p + "."));
        return Enumerable.Range(int.Parse(a[^1]) + 1, int.Parse(b[^1]) - int.Parse(a[^1])).Select(n => prefix + n);
    }

    /// <summary>Repository-relative paths of the files read: README.md and the sources and documents of <see cref="Folders"/>.</summary>
    static IEnumerable<string> SourceFiles()
    {
        var root = ProjectLayeringTests.RepoRoot();
        var files = Folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').Any(p => p is "bin" or "obj") && f != ThisFile);
        return files.Append("README.md").Order(StringComparer.Ordinal);
    }

    /// <summary>Section numbers in numeric order (9.2 before 9.10).</summary>
    sealed class SectionOrder : IComparer<string>
    {
        public static readonly SectionOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").Split('.').Select(int.Parse).ToArray();
            var b = (y ?? "").Split('.').Select(int.Parse).ToArray();
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            return a.Length.CompareTo(b.Length);
        }
    }
}
