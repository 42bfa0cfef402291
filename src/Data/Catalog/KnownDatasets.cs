using CogLtx.Text.Tasks;

namespace CogLtx.Data;

/// <summary>
/// One file of a known dataset: its name inside the dataset folder, the public original's address (null for
/// mirror-only subsets), accepted digests, and a content check (how many records it must hold). A file is
/// verified when a digest matches, or else when the content check passes (repacks and originals whose digest is
/// not published), or it is rejected.
/// </summary>
public sealed record DataFileSpec(string FileName, Uri? Url)
{
    /// <summary>Accepted MD5 digests (lower-case hex), e.g. the shared mirror's copy.</summary>
    public IReadOnlyList<string> Md5 { get; init; } = [];

    /// <summary>Accepted SHA-256 digests (lower-case hex).</summary>
    public IReadOnlyList<string> Sha256 { get; init; } = [];

    /// <summary>How many records the file holds (documents, questions, articles); checked when no digest matches.</summary>
    public int? ExpectedRecords { get; init; }

    /// <summary>Plural noun for the records of this file in messages ("documents", "questions").</summary>
    public string RecordNoun { get; init; } = "records";

    /// <summary>Counts the records of a file at a path (reads it fully); null when the file has no content check.</summary>
    public Func<string, int>? CountRecords { get; init; }
}

/// <summary>A complete set of files from which a dataset can be loaded (the public originals, or a mirror's layout).</summary>
public sealed record DataFileSet(string Label, IReadOnlyList<DataFileSpec> Files)
{
    /// <summary>True when the set can be downloaded: every file has a public address.</summary>
    public bool IsDownloadable => Files.All(f => f.Url is not null);
}

/// <summary>Options for loading a known dataset (a model checkpoint's are <c>CogLtx.Models.LoadOptions</c>).</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>What to do with a malformed record: fail (default) or skip and report it.</summary>
    public OnError OnError { get; init; } = OnError.Fail;

    /// <summary>Apply CogLTX's 20 Newsgroups cleaning (<see cref="TwentyNewsgroupsReader.Clean"/>).</summary>
    public bool CleanNewsgroups { get; init; }
}

/// <summary>A dataset this project can fetch and read: folder, task, licence, and its file sets (first = public originals).</summary>
public sealed record KnownDataset(string Name, string Folder, ReasonerTask Kind, string Description, string Licence, IReadOnlyList<DataFileSet> FileSets)
{
    /// <summary>Reads the dataset from the full paths of one file set's files, in the set's order.</summary>
    public required Func<IReadOnlyList<string>, DatasetLoadOptions, Dataset> Reader { get; init; }

    /// <summary>The public originals (the set <c>data get</c> downloads).</summary>
    public DataFileSet Original => FileSets[0];

    /// <summary>The dataset's folder inside a data directory.</summary>
    public string FolderIn(string dataDirectory) => Path.Combine(dataDirectory, Folder);

    /// <summary>The first file set whose files all exist in the data directory, or null.</summary>
    public DataFileSet? Locate(string dataDirectory) =>
        FileSets.FirstOrDefault(set => set.Files.All(f => File.Exists(Path.Combine(FolderIn(dataDirectory), f.FileName))));

    /// <summary>Reads the dataset from the first complete file set in the data directory.</summary>
    public Dataset Load(string dataDirectory, DatasetLoadOptions? options = null)
    {
        var set = Locate(dataDirectory) ?? throw new FileNotFoundException(
            $"dataset {Name} not found in {FolderIn(dataDirectory)}: expected {string.Join(" or ", FileSets.Select(s => string.Join(" + ", s.Files.Select(f => f.FileName))))}; run `cogltx data get {Name}`");
        return Reader([.. set.Files.Select(f => Path.Combine(FolderIn(dataDirectory), f.FileName))], options ?? new DatasetLoadOptions());
    }
}

/// <summary>
/// The real long-text datasets (see /work/shared/data/README.md for the mirror): 20 Newsgroups, HotpotQA
/// distractor, movie reviews, hyperpartisan news, BBC news. Originals' addresses are the public ones; MD5s are
/// the shared mirror's copies (the 20 Newsgroups and BBC mirror files are repacks, so downloads of the originals
/// are verified by their record counts instead).
/// </summary>
public static class KnownDatasets
{
    /// <summary>20 Newsgroups (bydate split): 20-way topic classification.</summary>
    public static KnownDataset TwentyNewsgroups { get; } = new(
        TwentyNewsgroupsReader.DatasetName, "20newsgroups", ReasonerTask.Classification,
        "20-class newsgroup topic classification (CogLTX's 20News), 11,314 train / 7,532 test", "research corpus, none stated",
        [new("original", [new DataFileSpec("20news-bydate.tar.gz", new Uri("http://qwone.com/~jason/20Newsgroups/20news-bydate.tar.gz"))
        {
            Md5 = ["def0b114c42cb05da0ef63907e5d98bd"], ExpectedRecords = 18_846, RecordNoun = "documents",
            CountRecords = path => TwentyNewsgroupsReader.Read(path) is var d ? d.Train.Count + d.Test.Count : 0,
        }])])
    {
        Reader = (files, options) => TwentyNewsgroupsReader.Read(files[0], options.CleanNewsgroups, options.OnError),
    };

    /// <summary>HotpotQA (distractor setting): multi-hop span question answering with supporting facts.</summary>
    public static KnownDataset HotpotQa { get; } = new(
        "hotpotqa", "hotpotqa", ReasonerTask.SpanQa,
        "multi-hop QA with supporting facts, distractor setting (train + dev)", "CC BY-SA 4.0",
        [
            new("original", [
                new DataFileSpec("hotpot_train_v1.1.json", new Uri("http://curtis.lti.cs.cmu.edu/datasets/hotpot/hotpot_train_v1.1.json"))
                    { ExpectedRecords = 90_447, RecordNoun = "questions", CountRecords = CountJsonRecords },
                new DataFileSpec("hotpot_dev_distractor_v1.json", new Uri("http://curtis.lti.cs.cmu.edu/datasets/hotpot/hotpot_dev_distractor_v1.json"))
                    { ExpectedRecords = 7_405, RecordNoun = "questions", CountRecords = CountJsonRecords },
            ]),
            new("mirror subset", [
                new DataFileSpec("hotpot_train_100.json", null)
                    { Md5 = ["7aba5d165144316e6600c1d59d9dec60"], ExpectedRecords = 100, RecordNoun = "questions", CountRecords = CountJsonRecords },
                new DataFileSpec("hotpot_dev_distractor_500.jsonl", null)
                    { Md5 = ["329f6015ba77749b6d401fc227ed812a"], ExpectedRecords = 500, RecordNoun = "questions", CountRecords = CountJsonRecords },
            ]),
        ])
    {
        Reader = (files, options) =>
        {
            var train = HotpotQaReader.Read(files[0], options.OnError);
            var test = HotpotQaReader.Read(files[1], options.OnError);
            return new Dataset("hotpotqa", ReasonerTask.SpanQa, [], train.Items, test.Items) { Skipped = [.. train.Skipped, .. test.Skipped] };
        },
    };

    /// <summary>Movie reviews (Pang and Lee polarity): binary sentiment classification.</summary>
    public static KnownDataset MovieReviews { get; } = new(
        MovieReviewsReader.DatasetName, "movie_reviews", ReasonerTask.Classification,
        "binary sentiment of long movie reviews, 1,600 train (cv000-799) / 400 test", "CC BY 4.0",
        [new("original", [new DataFileSpec("movie_reviews.zip", new Uri("https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/packages/corpora/movie_reviews.zip"))
        {
            Md5 = ["155de2b77c6834dd8eea7cbe88e93acb"], ExpectedRecords = 2_000, RecordNoun = "reviews",
            CountRecords = path => MovieReviewsReader.Read(path) is var d ? d.Train.Count + d.Test.Count : 0,
        }])])
    {
        Reader = (files, options) => MovieReviewsReader.Read(files[0], options.OnError),
    };

    /// <summary>Hyperpartisan news detection (SemEval-2019 task 4, by-article): binary classification.</summary>
    public static KnownDataset Hyperpartisan { get; } = new(
        HyperpartisanReader.DatasetName, "hyperpartisan", ReasonerTask.Classification,
        "binary hyperpartisan news detection (SemEval-2019 task 4, by-article), 645 articles", "CC BY 4.0",
        [
            new("original", [
                new DataFileSpec("articles-training-byarticle-20181122.zip", new Uri("https://zenodo.org/record/1489920/files/articles-training-byarticle-20181122.zip"))
                    { ExpectedRecords = 645, RecordNoun = "articles", CountRecords = HyperpartisanReader.CountArticles },
                new DataFileSpec("ground-truth-training-byarticle-20181122.zip", new Uri("https://zenodo.org/record/1489920/files/ground-truth-training-byarticle-20181122.zip"))
                    { ExpectedRecords = 645, RecordNoun = "labels", CountRecords = HyperpartisanReader.CountArticles },
            ]),
            new("extracted", [
                new DataFileSpec("articles-training-byarticle-20181122.xml", null)
                    { Md5 = ["6cab4d60698a4aa34cb70d2b0e692600"], ExpectedRecords = 645, RecordNoun = "articles", CountRecords = HyperpartisanReader.CountArticles },
                new DataFileSpec("ground-truth-training-byarticle-20181122.xml", null)
                    { Md5 = ["705042036f088c0c7e1a0d3fb5ba4e37"], ExpectedRecords = 645, RecordNoun = "labels", CountRecords = HyperpartisanReader.CountArticles },
            ]),
        ])
    {
        Reader = (files, options) => HyperpartisanReader.Read(files[0], files[1], options.OnError),
    };

    /// <summary>BBC News full text: 5-way topic classification.</summary>
    public static KnownDataset Bbc { get; } = new(
        BbcNewsReader.DatasetName, "bbc", ReasonerTask.Classification,
        "5-class BBC news topic classification, 2,225 articles (1,781 train / 444 test)", "research use, rights with the BBC",
        [
            new("original", [new DataFileSpec("bbc-fulltext.zip", new Uri("http://mlg.ucd.ie/files/datasets/bbc-fulltext.zip"))
                { ExpectedRecords = 2_225, RecordNoun = "articles", CountRecords = CountBbc }]),
            new("mirror repack", [new DataFileSpec("bbc-fulltext.tar.gz", null)
                { Md5 = ["9b103e83a0e3c3fb35400b1e02c6f118"], ExpectedRecords = 2_225, RecordNoun = "articles", CountRecords = CountBbc }]),
        ])
    {
        Reader = (files, options) => BbcNewsReader.Read(files[0], onError: options.OnError),
    };

    /// <summary>Every data set this project can fetch and read.</summary>
    public static IReadOnlyList<KnownDataset> All { get; } = [TwentyNewsgroups, HotpotQa, MovieReviews, Hyperpartisan, Bbc];

    /// <summary>The dataset with this name (case-insensitive; the folder name is accepted too).</summary>
    public static KnownDataset Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(d.Folder, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"unknown dataset '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}");

    /// <summary>Loads a known dataset from a data directory (see <see cref="DataDirectory"/>).</summary>
    public static Dataset Load(string name, string dataDirectory, DatasetLoadOptions? options = null) => Find(name).Load(dataDirectory, options);

    private static int CountJsonRecords(string path) => JsonRecords.Read(path, new IssueSink(OnError.Fail)).Count();

    private static int CountBbc(string path) => BbcNewsReader.Read(path) is var d ? d.Train.Count + d.Test.Count : 0;
}
