namespace CogLtx.Data.Tests;

public sealed class MovieReviewsReaderTests
{
    [Fact]
    public void Read_SampleZip_SplitsByCvNumberAt800()
    {
        var data = MovieReviewsReader.Read(TestPaths.Sample("movie_reviews-sample.zip"));
        Assert.Equal(["neg", "pos"], data.LabelNames);
        Assert.Equal(["neg/cv001_19502", "pos/cv000_29590"], data.Train.Select(e => e.Id));
        Assert.Equal(["neg/cv999_14636", "pos/cv850_11111"], data.Test.Select(e => e.Id));
        Assert.Equal("a wonderful film .\nthe acting is superb .\n", data.Train[1].Text);
        Assert.Equal("pos", data.Train[1].Label);
    }

    [Fact]
    public void Read_TruncatedZip_FailsNamingTheFile()
    {
        using var temp = new TempDir();
        var bytes = File.ReadAllBytes(TestPaths.Sample("movie_reviews-sample.zip"));
        var path = temp.File("reviews-cut.zip");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 30)]);
        var error = Assert.Throws<DataFormatException>(() => MovieReviewsReader.Read(path));
        Assert.StartsWith("reviews-cut.zip: not a readable zip archive", error.Message);
    }
}
