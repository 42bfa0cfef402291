using CogLtx.Text.Tasks;

namespace CogLtx.Data.Tests;

/// <summary>
/// Every reader on the real mirror (skipped when it is absent): counts match /work/shared/data/README.md. All of
/// them together take a few seconds.
/// </summary>
public sealed class RealDataTests
{
    [RealDataFact("20newsgroups")]
    public void TwentyNewsgroups_RealArchive_Has11314TrainAnd7532Test()
    {
        var data = KnownDatasets.Load("20news", TestPaths.RealData);
        Assert.Equal(11_314, data.Train.Count);
        Assert.Equal(7_532, data.Test.Count);
        Assert.Equal(20, data.LabelNames.Count);
        Assert.Equal("alt.atheism", data.LabelNames[0]);
        Assert.Empty(data.Skipped);
    }

    [RealDataFact("hotpotqa")]
    public void HotpotQa_RealMirror_Has500DevAnd100Train_WithLocatedAnswers()
    {
        var data = KnownDatasets.Load("hotpotqa", TestPaths.RealData);
        Assert.Equal(500, data.Test.Count);
        Assert.Equal(100, data.Train.Count);
        Assert.Equal(ReasonerTask.SpanQa, data.Kind);
        var dev = data.Test;
        Assert.Equal(371, dev.Count(e => e.Metadata["type"] == "bridge"));
        Assert.Equal(45, dev.Count(e => e.Answer!.Kind is AnswerKind.Yes or AnswerKind.No));
        // The mirror's dev subset often lacks gold paragraphs; counts computed independently in Python:
        // 422 examples resolve at least one supporting fact (715 facts in all), 284 of 455 span answers occur.
        Assert.Equal(422, dev.Count(e => e.RelevantSpans.Count > 0));
        Assert.Equal(715, dev.Sum(e => e.Sentences!.Count(s => s.IsSupporting)));
        Assert.Equal(284, dev.Count(e => e.Answer!.IsLocated));
        Assert.All(dev.Where(e => e.Answer!.IsLocated), e =>
            Assert.Equal(e.Answer!.Text, e.Slice(e.Answer.Spans[0]), StringComparer.OrdinalIgnoreCase));
        // The train sample is complete: every example resolves its facts.
        Assert.All(data.Train, e => Assert.Equal(e.SupportingFacts!.Count, e.Sentences!.Count(s => s.IsSupporting)));
    }

    [RealDataFact("movie_reviews")]
    public void MovieReviews_RealZip_Has2000ReviewsSplit1600To400()
    {
        var data = KnownDatasets.Load("movie-reviews", TestPaths.RealData);
        Assert.Equal(1_600, data.Train.Count);
        Assert.Equal(400, data.Test.Count);
        Assert.Equal(["neg", "pos"], data.LabelNames);
        Assert.Equal(200, data.Test.Count(e => e.Label == "pos"));
    }

    [RealDataFact("hyperpartisan")]
    public void Hyperpartisan_RealXml_Has645ArticlesWith238Hyperpartisan()
    {
        var data = KnownDatasets.Load("hyperpartisan", TestPaths.RealData);
        var all = data.Train.Concat(data.Test).ToList();
        Assert.Equal(645, all.Count);
        Assert.Equal(238, all.Count(e => e.Label == "true"));
        Assert.InRange(data.Test.Count, 645 / 5 - 30, 645 / 5 + 30);
        Assert.DoesNotContain(all, e => e.Text.Contains("<p>") || e.Text.Contains("<a "));
        Assert.Equal("Kucinich: Reclaiming the money power", all.Single(e => e.Id == "0000000").Title);
    }

    [RealDataFact("bbc")]
    public void Bbc_RealArchive_Has2225ArticlesInFiveClasses()
    {
        var data = KnownDatasets.Load("bbc", TestPaths.RealData);
        Assert.Equal(2_225, data.Train.Count + data.Test.Count);
        Assert.Equal(444, data.Test.Count);
        Assert.Equal(["business", "entertainment", "politics", "sport", "tech"], data.LabelNames);
        var first = data.Train.Concat(data.Test).Single(e => e.Id == "business/001");
        Assert.Equal("Ad sales boost Time Warner profit", first.Title);
        // sport/199.txt is the one Latin-1 file: its pound sign must survive the fallback decoding.
        Assert.Contains("£15.8m", data.Train.Concat(data.Test).Single(e => e.Id == "sport/199").Text);
    }
}
