using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class DataFetcherTests
{
    private const string SampleFile = "hotpot-sample.json";

    /// <summary>A known dataset made of one committed sample, verified by its record count (2 questions).</summary>
    private static KnownDataset Tiny(Uri? url = null, int expected = 2) => new(
        "tiny", "tiny-folder", ReasonerTask.SpanQa, "two HotpotQA questions", "test",
        [new DataFileSet("original", [new DataFileSpec(SampleFile, url)
        {
            ExpectedRecords = expected, RecordNoun = "questions", CountRecords = path => HotpotQaReader.Read(path).Items.Count,
        }])])
    {
        Reader = (files, options) => new Dataset("tiny", ReasonerTask.SpanQa, [], [], HotpotQaReader.Read(files[0], options.OnError).Items),
    };

    private static Downloader NoNetwork() => new(new HttpClient(), new DownloadOptions { MaxRetries = 0 });

    [Fact]
    public async Task Get_FromMirrorFolder_CopiesVerifiesThenReportsPresent()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        Directory.CreateDirectory(Path.Combine(mirror.Path, "tiny-folder"));
        File.Copy(TestPaths.Sample(SampleFile), Path.Combine(mirror.Path, "tiny-folder", SampleFile));
        var fetcher = new DataFetcher(NoNetwork());

        var first = Assert.Single(await fetcher.GetAsync(Tiny(), data.Path, mirror.Path));
        Assert.Equal(FetchAction.Copied, first.Action);
        Assert.Equal("2 questions", first.Verification);
        Assert.Equal(Path.Combine(data.Path, "tiny-folder", SampleFile), first.Path);
        Assert.Equal(2, Tiny().Load(data.Path).Test.Count);

        var second = Assert.Single(await fetcher.GetAsync(Tiny(), data.Path, mirror.Path));
        Assert.Equal(FetchAction.Present, second.Action);
    }

    [Fact]
    public async Task Get_FromFlatMirror_FindsTheFileAtTheMirrorRoot()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        File.Copy(TestPaths.Sample(SampleFile), mirror.File(SampleFile));
        var fetched = Assert.Single(await new DataFetcher(NoNetwork()).GetAsync(Tiny(), data.Path, mirror.Path));
        Assert.Equal(FetchAction.Copied, fetched.Action);
    }

    [Fact]
    public async Task Get_MirrorCopyFailsVerification_LeavesNoFile()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        File.Copy(TestPaths.Sample(SampleFile), mirror.File(SampleFile));

        var error = await Assert.ThrowsAsync<DataVerificationException>(() => new DataFetcher(NoNetwork()).GetAsync(Tiny(expected: 3), data.Path, mirror.Path));

        Assert.Equal($"{SampleFile}: content check failed: expected 3 questions, found 2", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(data.Path, "tiny-folder")));
    }

    [Fact]
    public async Task Get_RequiredMirrorWithoutTheDataset_FailsNamingTheExpectedFiles()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => new DataFetcher(NoNetwork()).GetAsync(Tiny(), data.Path, mirror.Path, mirrorRequired: true));
        Assert.Contains($"has no complete copy of tiny: expected {SampleFile}", error.Message);
    }

    [Fact]
    public async Task Get_WithoutMirror_DownloadsTheOriginalAndVerifiesByCount()
    {
        var body = await File.ReadAllBytesAsync(TestPaths.Sample(SampleFile));
        await using var server = new LocalHttpServer((request, stream, token) => LocalHttpServer.ServeAsync(request, stream, body, token));
        using var data = new TempDir();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

        var fetched = Assert.Single(await new DataFetcher(new Downloader(http)).GetAsync(Tiny(server.Url("hotpot/" + SampleFile)), data.Path));

        Assert.Equal(FetchAction.Downloaded, fetched.Action);
        Assert.Equal("2 questions", fetched.Verification);
        Assert.Equal(body, await File.ReadAllBytesAsync(fetched.Path));
        Assert.Equal("hotpot/" + SampleFile, Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task Get_PresentButCorrupt_IsFetchedAgain()
    {
        using var mirror = new TempDir();
        using var data = new TempDir();
        File.Copy(TestPaths.Sample(SampleFile), mirror.File(SampleFile));
        Directory.CreateDirectory(Path.Combine(data.Path, "tiny-folder"));
        await File.WriteAllTextAsync(Path.Combine(data.Path, "tiny-folder", SampleFile), "[]");
        var log = new List<string>();

        var fetched = Assert.Single(await new DataFetcher(NoNetwork(), log.Add).GetAsync(Tiny(), data.Path, mirror.Path));

        Assert.Equal(FetchAction.Copied, fetched.Action);
        Assert.Contains(log, l => l.Contains("is present but fails verification", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_ReportsWhichFileSetIsPresent()
    {
        using var data = new TempDir();
        Assert.Null(Assert.Single(DataFetcher.Status(data.Path, [Tiny()])).Present);
        Directory.CreateDirectory(Path.Combine(data.Path, "tiny-folder"));
        File.Copy(TestPaths.Sample(SampleFile), Path.Combine(data.Path, "tiny-folder", SampleFile));
        var status = Assert.Single(DataFetcher.Status(data.Path, [Tiny()]));
        Assert.Equal("original", status.Present!.Label);
        Assert.Equal(new FileInfo(TestPaths.Sample(SampleFile)).Length, status.Bytes);
    }

    [RealDataFact("hyperpartisan")]
    public async Task Get_RealMirror_CopiesHyperpartisanVerifiedByMd5()
    {
        using var data = new TempDir();
        var fetched = await new DataFetcher(NoNetwork()).GetAsync(KnownDatasets.Hyperpartisan, data.Path, TestPaths.RealData, mirrorRequired: true);
        Assert.Equal(2, fetched.Count);
        Assert.All(fetched, f => Assert.Equal(FetchAction.Copied, f.Action));
        Assert.Equal("md5 6cab4d60698a4aa34cb70d2b0e692600", fetched[0].Verification);
        Assert.Equal(645, KnownDatasets.Load("hyperpartisan", data.Path).Train.Count + KnownDatasets.Load("hyperpartisan", data.Path).Test.Count);
    }
}
