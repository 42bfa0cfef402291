namespace CogLtx.Data.Tests;

public sealed class BbcNewsReaderTests
{
    [Fact]
    public void Read_SampleArchive_TakesTitleFromFirstLineAndTestsMultiplesOfFive()
    {
        var data = BbcNewsReader.Read(TestPaths.Sample("bbc-sample.tar.gz"));
        Assert.Equal(["business", "sport"], data.LabelNames);
        Assert.Equal(["business/001", "sport/002"], data.Train.Select(e => e.Id));
        Assert.Equal(["business/005", "sport/010"], data.Test.Select(e => e.Id));
        var first = data.Train[0];
        Assert.Equal("Ad sales boost profit", first.Title);
        Assert.StartsWith("Ad sales boost profit\n\nQuarterly profits", first.Text);
        // sport/002 is Latin-1 (0xA3), decoded by the fallback.
        Assert.Equal("Mutu fee dispute\n\nChelsea want a £15.8m fee back.", data.Train[1].Text);
    }

    [Fact]
    public void Read_Latin1ArticleWithoutFallback_FailsNamingEntryLineAndByte_OrSkipsIt()
    {
        var path = TestPaths.Sample("bbc-sample.tar.gz");
        var error = Assert.Throws<DataFormatException>(() => BbcNewsReader.Read(path, latin1Fallback: false));
        Assert.Equal("bbc-sample.tar.gz!bbc/sport/002.txt:3: invalid UTF-8 byte 0xA3 at byte offset 33 (line 3, column 16); expected UTF-8 text (is the file Latin-1?)", error.Message);

        var skipped = BbcNewsReader.Read(path, latin1Fallback: false, onError: OnError.Skip);
        Assert.Equal(3, skipped.Train.Count + skipped.Test.Count);
        Assert.Equal("bbc/sport/002.txt", Assert.Single(skipped.Skipped).Entry);
    }

    [Fact]
    public void Read_OriginalZipLayout_GivesTheSameArticlesAsTheTarGzRepack()
    {
        var fromZip = BbcNewsReader.Read(TestPaths.Sample("bbc-sample.zip"));
        var fromTar = BbcNewsReader.Read(TestPaths.Sample("bbc-sample.tar.gz"));
        Assert.Equal(fromTar.Train.Select(e => (e.Id, e.Text)), fromZip.Train.Select(e => (e.Id, e.Text)));
        Assert.Equal(fromTar.Test.Select(e => (e.Id, e.Text)), fromZip.Test.Select(e => (e.Id, e.Text)));
    }
}
