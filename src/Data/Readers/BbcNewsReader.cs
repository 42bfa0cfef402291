using System.Globalization;
using System.Text.RegularExpressions;
using CogLtx.Text.Input;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// The BBC full-text news corpus (Greene &amp; Cunningham, ICML 2006): <c>bbc/&lt;class&gt;/NNN.txt</c> in five classes
/// (business, entertainment, politics, sport, tech), 2,225 articles whose first line is the title. No official split
/// exists; this reader's deterministic split puts every article whose number is a multiple of 5 in test (444) and
/// the rest in train (1,781). Reads the original .zip or a .tar.gz repack.
/// </summary>
public static partial class BbcNewsReader
{
    /// <summary>Name of the data set in configs and the catalog.</summary>
    public const string DatasetName = "bbc";

    /// <param name="archivePath">bbc-fulltext.tar.gz or bbc-fulltext.zip.</param>
    /// <param name="latin1Fallback">
    /// Decode an article that is not valid UTF-8 as Latin-1 instead of reporting it. The corpus is UTF-8 except
    /// sport/199.txt, which writes '£' as the Latin-1 byte 0xA3; a deliberate leniency, on by default.
    /// </param>
    /// <param name="onError">Skip or fail on undecodable articles or a damaged archive.</param>
    public static Dataset Read(string archivePath, bool latin1Fallback = true, OnError onError = OnError.Fail)
    {
        var sink = new IssueSink(onError);
        var articles = new List<(int Number, LongDocExample Example)>();
        foreach (var entry in ArchiveReader.Read(archivePath, sink))
        {
            var match = EntryPattern().Match(entry.Name);
            if (!match.Success) continue;
            var text = Utf8Input.TryDecode(entry.Data);
            if (text is null && latin1Fallback) text = TextDecoding.Latin1(entry.Data);
            if (text is null)
            {
                sink.Report(TextDecoding.InvalidUtf8(archivePath, entry.Name, entry.Data));
                continue;
            }
            text = text.Replace("\r\n", "\n").TrimEnd();
            var newline = text.IndexOf('\n');
            var title = (newline < 0 ? text : text[..newline]).Trim();
            if (title.Length == 0)
            {
                sink.Report(new DataIssue(archivePath, entry.Name, 1, "expected the article title on the first line, found an empty line"));
                continue;
            }
            var label = match.Groups[1].Value;
            var number = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            articles.Add((number, new LongDocExample { Id = $"{label}/{match.Groups[2].Value}", Text = text, Title = title, Labels = [label] }));
        }
        if (articles.Count == 0 && sink.Skipped.Count == 0)
            throw new DataFormatException(new DataIssue(archivePath, null, null, "no bbc/<class>/NNN.txt entries found"));
        articles.Sort((a, b) => string.CompareOrdinal(a.Example.Id, b.Example.Id));
        var train = articles.Where(a => a.Number % 5 != 0).Select(a => a.Example).ToList();
        var test = articles.Where(a => a.Number % 5 == 0).Select(a => a.Example).ToList();
        return new Dataset(DatasetName, ReasonerTask.Classification, Dataset.SortedLabels(train.Concat(test)), train, test)
        {
            Skipped = sink.Skipped,
        };
    }

    [GeneratedRegex(@"(?:^|/)([a-z]+)/(\d+)\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();
}
