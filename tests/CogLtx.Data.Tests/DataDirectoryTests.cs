namespace CogLtx.Data.Tests;

public sealed class DataDirectoryTests
{
    [Fact]
    public void Resolve_OptionWinsOverEnvironmentWhichWinsOverDefault()
    {
        Assert.Equal(Path.GetFullPath("/from/option"), DataDirectory.Resolve("/from/option", _ => "/from/env"));
        Assert.Equal(Path.GetFullPath("/from/env"), DataDirectory.Resolve(null, name => name == "COGLTX_DATA" ? "/from/env" : null));
        Assert.Equal(Path.GetFullPath("data"), DataDirectory.Resolve(null, _ => null));
        Assert.Equal(Path.GetFullPath("data"), DataDirectory.Resolve("  ", _ => ""));
    }

    [Fact]
    public void KnownDatasets_FindByNameOrFolder_AndUnknownNamesListTheKnownOnes()
    {
        Assert.Same(KnownDatasets.TwentyNewsgroups, KnownDatasets.Find("20NEWS"));
        Assert.Same(KnownDatasets.MovieReviews, KnownDatasets.Find("movie_reviews"));
        var error = Assert.Throws<KeyNotFoundException>(() => KnownDatasets.Find("imdb"));
        Assert.Equal("unknown dataset 'imdb'; known: 20news, hotpotqa, movie-reviews, hyperpartisan, bbc", error.Message);
    }

    [Fact]
    public void KnownDatasets_LoadMissing_SaysWhereItLookedAndHowToFetch()
    {
        using var temp = new TempDir();
        var error = Assert.Throws<FileNotFoundException>(() => KnownDatasets.Load("bbc", temp.Path));
        Assert.Contains("expected bbc-fulltext.zip or bbc-fulltext.tar.gz", error.Message);
        Assert.Contains("run `cogltx data get bbc`", error.Message);
    }

    [Fact]
    public void KnownDatasets_OriginalsAreDownloadable()
    {
        Assert.All(KnownDatasets.All, d => Assert.True(d.Original.IsDownloadable, d.Name));
    }
}
