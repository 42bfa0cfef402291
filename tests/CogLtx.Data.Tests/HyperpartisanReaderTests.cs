using System.IO.Compression;

namespace CogLtx.Data.Tests;

public sealed class HyperpartisanReaderTests
{
    private static readonly string Articles = TestPaths.Sample("hyperpartisan-articles.xml");
    private static readonly string Truth = TestPaths.Sample("hyperpartisan-ground-truth.xml");

    [Fact]
    public void Read_ArticleWithoutGroundTruth_FailsNamingFileLineAndId()
    {
        var error = Assert.Throws<DataFormatException>(() => HyperpartisanReader.Read(Articles, Truth));
        Assert.Equal("hyperpartisan-articles.xml:9: article 0000002 has no label in hyperpartisan-ground-truth.xml", error.Message);
    }

    [Fact]
    public void Read_SkipMode_JoinsLabelsByIdAndStripsTags()
    {
        var data = HyperpartisanReader.Read(Articles, Truth, OnError.Skip);
        Assert.Equal(9, Assert.Single(data.Skipped).Line);
        var all = data.Train.Concat(data.Test).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["0000000", "0000001"], all.Select(e => e.Id));
        Assert.Equal(["true", "false"], all.Select(e => e.Label));
        Assert.Equal(["false", "true"], data.LabelNames);
        Assert.Equal("Walls are closing in", all[0].Title);
        Assert.Equal(
            "Walls are closing in\nFrom flickr.com: Money\nMoney ( Image by someone)\nThe walls are closing in on Congress.\n" +
            "At moments of crisis, we can call upon the \"Constitution\" for guidance.",
            all[0].Text);
        // The split is the id hash modulo 5.
        Assert.All(data.Test, e => Assert.Equal(0u, HyperpartisanReader.Fnv1a(e.Id) % 5));
        Assert.All(data.Train, e => Assert.NotEqual(0u, HyperpartisanReader.Fnv1a(e.Id) % 5));
    }

    [Fact]
    public void Fnv1a_KnownVectors()
    {
        // Reference values of 32-bit FNV-1a: "" → 0x811C9DC5, "a" → 0xE40C292C.
        Assert.Equal(0x811C9DC5u, HyperpartisanReader.Fnv1a(""));
        Assert.Equal(0xE40C292Cu, HyperpartisanReader.Fnv1a("a"));
    }

    [Fact]
    public void Read_MalformedXml_FailsWithLine()
    {
        using var temp = new TempDir();
        var path = temp.File("articles-bad.xml");
        File.WriteAllText(path, File.ReadAllText(Articles).Replace("</p>\n\t</article>\n\t<article id=\"0000002\"", "\n\t</article>\n\t<article id=\"0000002\""));
        var error = Assert.Throws<DataFormatException>(() => HyperpartisanReader.Read(path, Truth));
        Assert.StartsWith("articles-bad.xml:8: malformed XML", error.Message);
    }

    [Fact]
    public void Read_PublishedZips_AreReadLikeTheXml()
    {
        using var temp = new TempDir();
        string Zip(string xml)
        {
            var path = temp.File(Path.GetFileNameWithoutExtension(xml) + ".zip");
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            zip.CreateEntryFromFile(xml, Path.GetFileName(xml));
            return path;
        }
        var truth = Zip(Truth);
        var data = HyperpartisanReader.Read(Zip(Articles), truth, OnError.Skip);
        Assert.Equal(2, data.Train.Count + data.Test.Count);
        Assert.Equal(2, HyperpartisanReader.CountArticles(truth));
    }
}
