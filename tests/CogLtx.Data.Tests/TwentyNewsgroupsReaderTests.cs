using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

public sealed class TwentyNewsgroupsReaderTests
{
    [Fact]
    public void Read_SampleArchive_SplitsByFolderAndLabelsByGroupInLoadFilesOrder()
    {
        var data = TwentyNewsgroupsReader.Read(TestPaths.Sample("20news-sample.tar.gz"));
        Assert.Equal(["alt.atheism", "sci.space"], data.LabelNames);
        Assert.Equal(["train/alt.atheism/49960", "train/alt.atheism/51060", "train/sci.space/60804"], data.Train.Select(e => e.Id));
        Assert.Equal(["test/alt.atheism/53068", "test/sci.space/61522"], data.Test.Select(e => e.Id));
        Assert.Equal("sci.space", data.Train[2].Label);
        Assert.Equal(ReasonerTask.Classification, data.Kind);
        // Headers are kept (scikit-learn's default) and byte 0xE9 decodes as Latin-1 'é'.
        var message = data.Train[1].Text;
        Assert.StartsWith("From: mathew@mantis.co.uk (mathew)\n", message);
        Assert.Contains("café reasons", message);
    }

    [Fact]
    public void Read_WithClean_AppliesCogLtxCleaningToEveryDocument()
    {
        var data = TwentyNewsgroupsReader.Read(TestPaths.Sample("20news-sample.tar.gz"), clean: true);
        // Hand-worked from the sample: header tokens with ':' or '@' go, quote marks '>' '|' and '--' vanish,
        // "(as Hume Put It) " holds capitals and is cut, "(mathew)" and "(see below)" stay.
        Assert.Equal(
            "(mathew) Why I am not a believer Mantis Consultants, Cambridge. UK. 5 Thinking is not the same as believing. " +
            "Agreed mostly. The argument fails for café reasons (see below) here.",
            data.Train[1].Text);
    }

    [Theory]
    [InlineData("a:b keep x@y.z also", "keep also")]
    [InlineData("well-known >quoted |piped -- done", "wellknown quoted piped done")]
    [InlineData("tabs\tand\nnew\x1clines\u00a0too", "tabs and new lines too")]
    [InlineData("(Only Capitals) gone (but lower) stays", "gone (but lower) stays")]
    [InlineData("end (With Capital)", "end (With Capital)")]
    [InlineData("(Mr. X) and (a1 B) here", "and (a1 B) here")]
    public void Clean_HandWorkedCases_MatchTheReferenceRules(string input, string expected) =>
        Assert.Equal(expected, TwentyNewsgroupsReader.Clean(input));

    [Fact]
    public void Clean_DropsTokensLongerThan60Characters()
    {
        var sixty = new string('a', 60);
        Assert.Equal($"x {sixty} y", TwentyNewsgroupsReader.Clean($"x {sixty} {sixty}b y"));
    }

    [Fact]
    public void Read_TruncatedArchive_FailsNamingTheFile_OrSkipsTheRest()
    {
        using var temp = new TempDir();
        var bytes = File.ReadAllBytes(TestPaths.Sample("20news-sample.tar.gz"));
        var path = temp.File("20news-cut.tar.gz");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => TwentyNewsgroupsReader.Read(path));
        Assert.StartsWith("20news-cut.tar.gz: archive is truncated or corrupt", error.Message);

        var skipped = TwentyNewsgroupsReader.Read(path, onError: OnError.Skip);
        Assert.Single(skipped.Skipped);
        Assert.True(skipped.Train.Count + skipped.Test.Count < 5);
    }

    [Fact]
    public void Read_ArchiveWithoutNewsgroupEntries_FailsSayingWhatWasExpected()
    {
        var error = Assert.Throws<DataFormatException>(() => TwentyNewsgroupsReader.Read(TestPaths.Sample("bbc-sample.tar.gz")));
        Assert.Contains("no 20news-bydate-train/<group>/<id>", error.Message);
    }

    [Fact]
    public void Read_NotAnArchive_FailsNamingTheFile()
    {
        var error = Assert.Throws<DataFormatException>(() => TwentyNewsgroupsReader.Read(TestPaths.Sample("user-qa.jsonl")));
        Assert.Equal("user-qa.jsonl: not a .tar.gz, .tar or .zip archive (unrecognised first bytes)", error.Message);
    }
}
