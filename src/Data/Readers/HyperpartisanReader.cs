using System.IO.Compression;
using System.Text;
using System.Xml;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// SemEval-2019 task 4, hyperpartisan news detection, by-article training set: an articles XML
/// (<c>&lt;article id title&gt;</c> with HTML-like <c>&lt;p&gt;</c>/<c>&lt;a&gt;</c> content) and a ground-truth XML
/// (<c>&lt;article id hyperpartisan="true|false"&gt;</c>) joined by id; 645 articles, 238 hyperpartisan. Either file may
/// be the .xml or the published .zip holding it.
/// <para>
/// Tags are stripped: each <c>&lt;p&gt;</c> (and text between paragraphs) becomes one line with whitespace collapsed;
/// <see cref="LongDocExample.Text"/> is the title line followed by those lines. Labels are "false"/"true" (the
/// ground-truth attribute). No official split exists: an article goes to test when the FNV-1a hash of its id is 0
/// modulo 5 (about 20%), so the split is stable under re-ordering and subsetting.
/// </para>
/// </summary>
public static class HyperpartisanReader
{
    /// <summary>Name of the data set in configs and the catalog.</summary>
    public const string DatasetName = "hyperpartisan";

    /// <summary>Reads the articles XML and its ground-truth XML; malformed records fail or are skipped as <paramref name="onError"/> says.</summary>
    public static Dataset Read(string articlesPath, string groundTruthPath, OnError onError = OnError.Fail)
    {
        var sink = new IssueSink(onError);
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, attributes, _) in Articles(groundTruthPath, sink, withText: false))
        {
            if (!attributes.TryGetValue("id", out var id))
                sink.Report(new DataIssue(groundTruthPath, null, line, "<article> without an 'id' attribute"));
            else if (!attributes.TryGetValue("hyperpartisan", out var label) || label is not ("true" or "false"))
                sink.Report(new DataIssue(groundTruthPath, null, line, $"article {id}: expected hyperpartisan=\"true\" or \"false\", found {(label is null ? "no attribute" : $"\"{label}\"")}"));
            else if (!truth.TryAdd(id, label))
                sink.Report(new DataIssue(groundTruthPath, null, line, $"article {id} is labelled twice"));
        }

        var train = new List<LongDocExample>();
        var test = new List<LongDocExample>();
        foreach (var (line, attributes, text) in Articles(articlesPath, sink, withText: true))
        {
            if (!attributes.TryGetValue("id", out var id))
            {
                sink.Report(new DataIssue(articlesPath, null, line, "<article> without an 'id' attribute"));
                continue;
            }
            if (!truth.TryGetValue(id, out var label))
            {
                sink.Report(new DataIssue(articlesPath, null, line, $"article {id} has no label in {Path.GetFileName(groundTruthPath)}"));
                continue;
            }
            var title = attributes.GetValueOrDefault("title", "").Trim();
            var example = new LongDocExample
            {
                Id = id,
                Text = title.Length > 0 ? title + "\n" + text : text,
                Title = title.Length > 0 ? title : null,
                Labels = [label],
            };
            (Fnv1a(id) % 5 == 0 ? test : train).Add(example);
        }
        return new Dataset(DatasetName, ReasonerTask.Classification, ["false", "true"], train, test) { Skipped = sink.Skipped };
    }

    /// <summary>Number of &lt;article&gt; elements in an articles or ground-truth file (.xml or .zip).</summary>
    internal static int CountArticles(string path) => Articles(path, new IssueSink(OnError.Fail), withText: false).Count();

    /// <summary>FNV-1a 32-bit hash of the UTF-16 code units: a split key that no runtime version changes.</summary>
    internal static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }

    /// <summary>Every &lt;article&gt; element: its line, attributes and (when asked) tag-stripped text.</summary>
    private static IEnumerable<(long Line, Dictionary<string, string> Attributes, string Text)> Articles(string path, IssueSink sink, bool withText)
    {
        using var stream = OpenXml(path);
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, IgnoreComments = true });
        var info = (IXmlLineInfo)xml;
        while (true)
        {
            (long, Dictionary<string, string>, string)? article = null;
            var damaged = false;
            try
            {
                if (!xml.ReadToFollowing("article")) break;
                long line = info.LineNumber;
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                while (xml.MoveToNextAttribute()) attributes[xml.Name] = xml.Value;
                xml.MoveToElement();
                article = (line, attributes, withText ? StripTags(xml) : "");
            }
            catch (XmlException e)
            {
                sink.Report(new DataIssue(path, null, e.LineNumber, $"malformed XML at column {e.LinePosition}: {e.Message}; the rest of the file was not read"), e);
                damaged = true;
            }
            if (damaged) yield break;
            if (article is { } a) yield return a;
        }
    }

    /// <summary>Text of the current element with tags removed: one line per &lt;p&gt; (and per run of text between paragraphs), whitespace collapsed.</summary>
    private static string StripTags(XmlReader xml)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            var line = string.Join(' ', current.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (line.Length > 0) lines.Add(line);
            current.Clear();
        }
        if (xml.IsEmptyElement) return "";
        var depth = xml.Depth;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    current.Append(xml.Value);
                    break;
                case XmlNodeType.Element when xml.Name is "p" or "br":
                case XmlNodeType.EndElement when xml.Name == "p":
                    Flush();
                    break;
            }
        }
        Flush();
        return string.Join('\n', lines);
    }

    private static Stream OpenXml(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"hyperpartisan file not found: {path}", path);
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return File.OpenRead(path);
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            ?? throw new DataFormatException(new DataIssue(path, null, null, "the zip holds no .xml file"));
        var data = new MemoryStream();
        using (var source = entry.Open()) source.CopyTo(data);
        data.Position = 0;
        return data;
    }
}
