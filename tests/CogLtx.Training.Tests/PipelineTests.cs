using CogLtx.Data;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;

namespace CogLtx.Training.Tests;

/// <summary>A briefly trained tiny QA model saved once for the pipeline tests.</summary>
public sealed class TrainedQaModel : IDisposable
{
    private readonly TinyTask task = new(train: 8, test: 4);

    public TrainedQaModel()
    {
        var models = task.CreateModels();
        Root = task.NewFolder("run");
        new JointTrainer(models, task.Convert(models), TinyTask.Training with { Epochs = 2 }, Root).Train();
    }

    public string Root { get; }

    public Dataset Dataset => task.Dataset;

    public void Dispose() => task.Dispose();
}

public sealed class PipelineTests(TrainedQaModel trained) : IClassFixture<TrainedQaModel>
{
    [Fact]
    public void Answer_ReturnsKeyBlocksWithSpansIntoTheOriginalText_AndTheTrace()
    {
        var pipeline = CogLtxPipeline.Load(trained.Root);
        var example = trained.Dataset.Test[0];
        var result = pipeline.Answer(example.Question!, example.Text);
        Assert.False(result.UsedFallback);
        Assert.Null(result.FallbackReason);
        Assert.NotNull(result.Trace);
        Assert.NotEmpty(result.KeyBlocks);
        foreach (var block in result.KeyBlocks)
        {
            Assert.False(block.Span.IsEmpty);
            Assert.Equal(example.Text[block.Span.Start..block.Span.End], block.Text);
        }
        Assert.True(result.Trace.TokenCount <= TinyTask.Options.Capacity);
        if (result.Prediction.AnswerSpan is { } span) Assert.Equal(example.Text[span.Start..span.End], result.Answer);
    }

    [Fact]
    public void ConcurrentCalls_GiveTheSameAnswersAsSequentialOnes()
    {
        var pipeline = CogLtxPipeline.Load(trained.Root);
        var inputs = trained.Dataset.Test.Concat(trained.Dataset.Train).Take(6).ToList();
        var sequential = inputs.Select(e => Summary(pipeline.Answer(e.Question!, e.Text))).ToList();
        var parallel = new string[inputs.Count * 3];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 },
            i => parallel[i] = Summary(pipeline.Answer(inputs[i % inputs.Count].Question!, inputs[i % inputs.Count].Text)));
        for (var i = 0; i < parallel.Length; i++) Assert.Equal(sequential[i % inputs.Count], parallel[i]);
    }

    [Fact]
    public void TinyTimeBudget_FallsBackToHeadTruncation_AndSaysSo()
    {
        var pipeline = CogLtxPipeline.Load(trained.Root, new PipelineOptions { TimeBudget = TimeSpan.FromMilliseconds(1) });
        // A long document (≈ 20 test documents) keeps MemRecall busy well past 1 ms.
        var example = trained.Dataset.Test[0];
        var text = string.Join(" ", Enumerable.Repeat(example.Text, 20));
        var result = pipeline.Answer(example.Question!, text);
        Assert.True(result.UsedFallback);
        Assert.Contains("time budget", result.FallbackReason);
        Assert.Null(result.Trace);
        var expected = CogLtxPipeline.Load(trained.Root);
        // the fallback's blocks are the query plus the document's first blocks that fit
        Assert.Equal(result.KeyBlocks.Select(b => b.Span.Start), result.KeyBlocks.Select(b => b.Span.Start).Order());
        Assert.True(result.KeyBlocks[0].Span.Start < 20);
        Assert.False(expected.Answer(example.Question!, example.Text).UsedFallback);
    }

    [Fact]
    public void CancelledToken_Throws_WithAndWithoutBudget()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var example = trained.Dataset.Test[0];
        Assert.ThrowsAny<OperationCanceledException>(() => CogLtxPipeline.Load(trained.Root).Answer(example.Question!, example.Text, cts.Token));
        var budgeted = CogLtxPipeline.Load(trained.Root, new PipelineOptions { TimeBudget = TimeSpan.FromSeconds(30) });
        Assert.ThrowsAny<OperationCanceledException>(() => budgeted.Answer(example.Question!, example.Text, cts.Token));
    }

    [Fact]
    public void WrongCall_AndEmptyDocument_AreClearErrors()
    {
        var pipeline = CogLtxPipeline.Load(trained.Root);
        Assert.Contains("call Answer", Assert.Throws<InvalidOperationException>(() => pipeline.Classify("text")).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => pipeline.Answer("who?", "   ")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CogLtxPipeline.Load(trained.Root, new PipelineOptions { TimeBudget = TimeSpan.Zero }));
    }

    [Fact]
    public void Classification_PipelineReturnsALabelAndProbabilities()
    {
        using var task = new TinyTask(train: 6, test: 2, task: ReasonerTask.Classification);
        var models = task.CreateModels();
        new JointTrainer(models, task.Convert(models), TinyTask.Training with { Epochs = 1 }, null).Train();
        var dir = task.NewFolder("model");
        models.Save(dir);
        var pipeline = CogLtxPipeline.Load(dir);
        var result = pipeline.Classify(task.Dataset.Test[0].Text);
        Assert.Contains(result.Label, task.Dataset.LabelNames);
        Assert.Equal(1.0, result.Probabilities.Sum(), 4);
        Assert.Equal(result.Probabilities.Max(), result.Score);
        Assert.NotEmpty(result.KeyBlocks);
        Assert.Contains("call Classify", Assert.Throws<InvalidOperationException>(() => pipeline.Answer("q", "text")).Message);
    }

    [Fact]
    public void MultiLabel_TrainsOnLabelQueries_AndClassifiesEveryLabel()
    {
        using var task = new TinyTask(train: 4, test: 1, task: ReasonerTask.Classification);
        // Two labels per document: its own class and the next one.
        var names = task.Dataset.LabelNames;
        var train = task.Dataset.Train.Select(e => e with { Labels = [e.Label, names[(names.ToList().IndexOf(e.Label) + 1) % names.Count]] }).ToList();
        var tokenizer = Text.Tokenization.TokenizerLoader.Load(task.TokenizerDir);
        var config = Models.BertConfig.Scratch(tokenizer.VocabSize, layers: 1, hidden: 32, heads: 2, intermediate: 64, maxLength: 128) with
        {
            PadTokenId = tokenizer.Specials.Pad,
        };
        var setup = new TaskSetup { Task = ReasonerTask.MultiLabel, LabelNames = names };
        var models = CogLtxModels.CreateFresh(config, task.TokenizerDir, setup, TinyTask.Options, 3);
        var examples = new ExampleConverter(models.Tokenizer, setup, models.Options).ConvertAll(train, new BlockIdCounter(), new Tensors.Rng(2));
        // 2 gold queries + 1 negative each, capped by the 3 classes: every label is queried once per document
        Assert.Equal(train.Count * names.Count, examples.Count);
        Assert.Equal(train.Count * 2, examples.Count(e => e.Blocks.QueryBlocks[0].Label == 1));
        var result = new JointTrainer(models, examples, TinyTask.Training with { Epochs = 1 }, null).Train();
        Assert.True(result.Completed);
        var dir = task.NewFolder("multi");
        models.Save(dir);
        Assert.Contains("BertForSequenceClassification", File.ReadAllText(Path.Combine(dir, "reasoner", "config.json")));
        var prediction = CogLtxPipeline.Load(dir).Classify(task.Dataset.Test[0].Text);
        Assert.Equal(names.Count, prediction.PerLabel!.Count);
        Assert.Equal(names.Count, prediction.Probabilities.Count);
        Assert.All(prediction.Labels, l => Assert.Contains(l, names));
        Assert.Equal(prediction.Probabilities.Max(), prediction.Score);
    }

    private static string Summary(QaResult r) =>
        $"{r.Answer}|{r.Score:R}|{string.Join(",", r.KeyBlocks.Select(b => $"{b.Span}:{b.Score:R}"))}";
}
