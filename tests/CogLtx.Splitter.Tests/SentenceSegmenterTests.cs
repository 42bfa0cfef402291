namespace CogLtx.Splitter.Tests;

public sealed class SentenceSegmenterTests
{
    private static string[] Sentences(string text) => [.. SentenceSegmenter.Segment(text).Select(s => text[s.Start..s.End])];

    [Fact]
    public void Segment_SplitsAtSentenceEndsAndLineBreaks()
    {
        Assert.Equal(["Hello world.", "How are you?", "Fine!!", "Next line", "last"],
            Sentences("  Hello world. How are you? Fine!!\nNext line\r\n\n last  "));
    }

    [Fact]
    public void Segment_KeepsClosingQuotesAndSkipsInitialsAndAbbreviations()
    {
        Assert.Equal(["He said \"stop.\"", "Mr. J. Smith left, e.g. early.", "3.5 is a number."],
            Sentences("He said \"stop.\" Mr. J. Smith left, e.g. early. 3.5 is a number."));
    }

    [Fact]
    public void Segment_EmptyAndWhitespaceText_HaveNoSentences()
    {
        Assert.Empty(SentenceSegmenter.Segment(""));
        Assert.Empty(SentenceSegmenter.Segment(" \n\t "));
    }
}
