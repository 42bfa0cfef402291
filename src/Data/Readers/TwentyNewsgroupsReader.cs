using System.Buffers;
using System.Text.RegularExpressions;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// The 20 Newsgroups "bydate" archive (<c>20news-bydate-{train,test}/&lt;group&gt;/&lt;id&gt;</c>, one raw message per
/// file, headers kept, Latin-1), read straight from the .tar.gz: 11,314 train and 7,532 test documents, label =
/// newsgroup. This is the corpus CogLTX used through scikit-learn's <c>fetch_20newsgroups</c> (spec §7); documents
/// come in scikit-learn's <c>load_files</c> order (group, then file name) and label names are the sorted groups.
/// </summary>
public static partial class TwentyNewsgroupsReader
{
    /// <summary>Name of the data set in configs and the catalog.</summary>
    public const string DatasetName = "20news";

    /// <param name="archivePath">20news-bydate.tar.gz (or a .tar / .zip with the same layout).</param>
    /// <param name="clean">Apply CogLTX's cleaning (<see cref="Clean"/>), as 20news/process_20news.py does before splitting.</param>
    /// <param name="onError">Skip or fail on a damaged archive.</param>
    public static Dataset Read(string archivePath, bool clean = false, OnError onError = OnError.Fail)
    {
        var sink = new IssueSink(onError);
        var documents = new List<(string Split, string Group, string File, string Text)>();
        foreach (var entry in ArchiveReader.Read(archivePath, sink))
        {
            var match = EntryPattern().Match(entry.Name);
            if (!match.Success) continue;
            var text = TextDecoding.Latin1(entry.Data);
            documents.Add((match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, clean ? Clean(text) : text));
        }
        if (documents.Count == 0 && sink.Skipped.Count == 0)
            throw new DataFormatException(new DataIssue(archivePath, null, null, "no 20news-bydate-train/<group>/<id> or 20news-bydate-test/<group>/<id> entries found"));

        documents.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Split, b.Split);
            if (c == 0) c = string.CompareOrdinal(a.Group, b.Group);
            return c != 0 ? c : string.CompareOrdinal(a.File, b.File);
        });
        LongDocExample ToExample((string Split, string Group, string File, string Text) d) => new()
        {
            Id = $"{d.Split}/{d.Group}/{d.File}",
            Text = d.Text,
            Labels = [d.Group],
        };
        var train = documents.Where(d => d.Split == "train").Select(ToExample).ToList();
        var test = documents.Where(d => d.Split == "test").Select(ToExample).ToList();
        return new Dataset(DatasetName, ReasonerTask.Classification, Dataset.SortedLabels(train.Concat(test)), train, test)
        {
            Skipped = sink.Skipped,
        };
    }

    /// <summary>
    /// CogLTX's 20 Newsgroups cleaning (20news/process_20news.py <c>clean</c>, spec §7): split on whitespace (Python
    /// <c>str.split()</c>); drop tokens containing ':' or '@' or longer than 60 characters; delete '&gt;', '|' and
    /// '-' from the rest and drop tokens left empty; join with single spaces; then delete every parenthesised
    /// phrase of letters, spaces and dots that contains a capital letter, together with the space after it (the
    /// reference regex <c>\([A-Za-z \.]*[A-Z][A-Za-z \.]*\) </c>, trailing space included).
    /// </summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new char[text.Length];
        var length = 0;
        var rest = text.AsSpan();
        while (true)
        {
            var skip = rest.IndexOfAnyExcept(PythonWhitespace);
            if (skip < 0) break;
            rest = rest[skip..];
            var end = rest.IndexOfAny(PythonWhitespace);
            var word = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[end..];
            if (word.Length > 60 || word.IndexOfAny(':', '@') >= 0) continue;
            var before = length;
            if (length > 0) output[length++] = ' ';
            var wordStart = length;
            foreach (var c in word)
                if (c is not ('>' or '|' or '-')) output[length++] = c;
            if (length == wordStart) length = before;
        }
        return CapitalisedParenthesis().Replace(new string(output, 0, length), "");
    }

    /// <summary>Exactly the BMP characters for which Python's <c>str.isspace</c> is true (what <c>str.split()</c> splits on).</summary>
    private static readonly SearchValues<char> PythonWhitespace = SearchValues.Create(
        "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000");

    [GeneratedRegex(@"(?:^|/)20news-bydate-(train|test)/([^/]+)/([^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"\([A-Za-z \.]*[A-Z][A-Za-z \.]*\) ", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalisedParenthesis();
}
