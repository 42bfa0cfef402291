using System.Globalization;
using System.Text.RegularExpressions;
using CogLtx.Text.Input;
using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// NLTK's movie_reviews corpus (Pang &amp; Lee polarity 2.0): <c>movie_reviews/{pos,neg}/cvNNN_*.txt</c>, 1,000
/// lower-cased, tokenised reviews per class, one sentence per line. There is no official split (10-fold by cvNNN is
/// usual); this reader's deterministic 80/20 split puts cv000–cv799 in train (1,600) and cv800–cv999 in test (400).
/// Label names are "neg" and "pos".
/// </summary>
public static partial class MovieReviewsReader
{
    /// <summary>Name of the data set in configs and the catalog.</summary>
    public const string DatasetName = "movie-reviews";

    /// <summary>Reviews numbered below this go to train.</summary>
    public const int FirstTestFold = 800;

    /// <param name="archivePath">movie_reviews.zip (or a .tar.gz with the same layout).</param>
    /// <param name="onError">Skip or fail on a review that is not valid UTF-8, or on a damaged archive.</param>
    public static Dataset Read(string archivePath, OnError onError = OnError.Fail)
    {
        var sink = new IssueSink(onError);
        var reviews = new List<(int Fold, LongDocExample Example)>();
        foreach (var entry in ArchiveReader.Read(archivePath, sink))
        {
            var match = EntryPattern().Match(entry.Name);
            if (!match.Success) continue;
            var text = Utf8Input.TryDecode(entry.Data);
            if (text is null)
            {
                sink.Report(TextDecoding.InvalidUtf8(archivePath, entry.Name, entry.Data));
                continue;
            }
            var label = match.Groups[1].Value;
            var fold = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
            reviews.Add((fold, new LongDocExample { Id = $"{label}/{match.Groups[2].Value}", Text = text, Labels = [label] }));
        }
        if (reviews.Count == 0 && sink.Skipped.Count == 0)
            throw new DataFormatException(new DataIssue(archivePath, null, null, "no movie_reviews/pos/cvNNN_*.txt or movie_reviews/neg/cvNNN_*.txt entries found"));
        reviews.Sort((a, b) => string.CompareOrdinal(a.Example.Id, b.Example.Id));
        var train = reviews.Where(r => r.Fold < FirstTestFold).Select(r => r.Example).ToList();
        var test = reviews.Where(r => r.Fold >= FirstTestFold).Select(r => r.Example).ToList();
        return new Dataset(DatasetName, ReasonerTask.Classification, Dataset.SortedLabels(train.Concat(test)), train, test)
        {
            Skipped = sink.Skipped,
        };
    }

    [GeneratedRegex(@"(?:^|/)(pos|neg)/(cv(\d{3})_[^/]*)\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();
}
