using CogLtx.Data;
using CogLtx.Judge;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Evaluation;
using CogLtx.Training.Inference;
using CogLtx.Training.Jobs;
using CogLtx.Training.Recipes;

namespace CogLtx.Training.Tests;

public sealed class InferenceTests
{
    [Fact]
    public void JudgeScorer_ReturnsTokenSigmoids_OfOneBatchedEvalForward()
    {
        using var task = new TinyTask(train: 2);
        var models = task.CreateModels(initStd: 0.5);
        models.Eval();
        var example = task.Convert(models)[0];
        var inputs = new[]
        {
            AssembledInput.From(example.Blocks.QueryBlocks.Concat(example.Blocks.DocumentBlocks.Take(3))),
            AssembledInput.From(example.Blocks.QueryBlocks.Concat(example.Blocks.DocumentBlocks.Skip(3).Take(5))),
        };
        var scores = new JudgeScorer(models.Judge).ScoreTokens(inputs);
        for (var r = 0; r < inputs.Length; r++)
        {
            Assert.Equal(inputs[r].Length, scores[r].Length);
            Tensor logits;
            using (Autograd.NoGrad()) logits = models.Judge.Forward(JudgeBatch.Create([inputs[r]], models.Judge.Encoder.PadTokenId).Input);
            // padding the shorter row in the batch must not change its scores
            for (var t = 0; t < scores[r].Length; t++) Assert.Equal(JudgeScorer.Sigmoid(logits.Data[t]), scores[r][t], 5);
        }
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new JudgeScorer(models.Judge).ScoreTokens(inputs, cts.Token));
    }

    [Fact]
    public void Predictor_WithoutMemRecall_ReadsTheQueryAndTheFirstBlocksThatFit()
    {
        using var task = new TinyTask(train: 2);
        var models = task.CreateModels();
        models.Eval();
        var example = task.Convert(models)[0];
        var (z, scores, trace) = new CogLtxPredictor(models).Select(example.Blocks, useMemRecall: false, CancellationToken.None);
        Assert.Null(trace);
        Assert.All(scores, s => Assert.True(float.IsNaN(s)));
        var docs = z.Where(b => b.Kind == BlockKind.Document).ToList();
        Assert.Equal(example.Blocks.DocumentBlocks.Take(docs.Count), docs);
        Assert.True(z.Sum(b => b.Length) <= TinyTask.Options.Capacity);
        Assert.True(z.Sum(b => b.Length) + example.Blocks.DocumentBlocks[docs.Count].Length > TinyTask.Options.Capacity);
    }

    [Fact]
    public void CharsOf_MapsZPlusTokensBackToTheDocument()
    {
        // query [CLS] q [SEP]; document block "ab cd" tokens at chars [0,2) and [3,5), then [SEP]
        var query = new Block([2, 7, 3], 1, BlockKind.Query);
        var doc = new Block([8, 9, 3], 2, BlockKind.Document, [new CharSpan(0, 2), new CharSpan(3, 5), default], new CharSpan(0, 5));
        var input = AssembledInput.From([query, doc]);
        Assert.Equal(new CharSpan(0, 5), CogLtxPredictor.CharsOf(input, 3, 5));
        Assert.Equal(new CharSpan(3, 5), CogLtxPredictor.CharsOf(input, 4, 4));
        Assert.Null(CogLtxPredictor.CharsOf(input, 0, 2));     // query tokens have no document characters
    }

    [Fact]
    public void Evaluator_ReportsAnswerMetricsAndRelevantRecall()
    {
        using var task = new TinyTask(train: 4, test: 3);
        var models = task.CreateModels();
        new JointTrainer(models, task.Convert(models), TinyTask.Training with { Epochs = 1 }, null).Train();
        var test = task.Convert(models, task.Dataset.Test);
        var report = Evaluator.Evaluate(models, test);
        Assert.Equal(3, report.Count);
        Assert.NotNull(report.Answer);
        Assert.NotNull(report.SupportingFacts);
        Assert.Null(report.Classification);
        Assert.InRange(report.RelevantRecall, 0, 1);
        Assert.All(report.Examples, e => Assert.InRange(e.SelectedTokens, 1, TinyTask.Options.Capacity));
        var truncated = Evaluator.Evaluate(models, test, useMemRecall: false);
        Assert.Equal(report.Count, truncated.Count);
    }

    [Fact]
    public void Recipe_StopsWithACheckpoint_ResumesWithTheSavedRecipe_AndEvaluates()
    {
        using var task = new TinyTask(train: 2);
        var recipe = new TrainRecipe
        {
            Data = "synthetic-qa",
            Synthetic = new SyntheticOptions { TrainCount = 4, TestCount = 2, MinTokens = 300, MaxTokens = 400, LateEvidenceStart = 150, EarlyEvidenceEnd = 100, Seed = 9 },
            Model = new EncoderSpec { Layers = 1, Hidden = 32, Heads = 2, Intermediate = 64 },
            Cogltx = TinyTask.Options,
            Training = TinyTask.Training with { Epochs = 2, StopAfterSteps = 3 },
        };
        var outDir = task.NewFolder("recipe-run");
        var first = RecipeRunner.Run(recipe, outDir);
        Assert.False(first.Training.Completed);
        Assert.Null(first.Evaluation);
        Assert.True(File.Exists(Path.Combine(outDir, RecipeRunner.RecipeFile)));
        Assert.True(File.Exists(Path.Combine(outDir, RecipeRunner.VocabDir, "vocab.txt")));

        // A different recipe on resume is ignored (the saved one wins), except the stop.
        var second = RecipeRunner.Run(recipe with { Training = recipe.Training with { Epochs = 9, StopAfterSteps = 0 } }, outDir);
        Assert.True(second.Resumed);
        Assert.True(second.Training.Completed);
        Assert.Equal(2, second.Training.History.Count);
        Assert.NotNull(second.Evaluation);
        Assert.True(File.Exists(Path.Combine(outDir, "evaluation.json")));
        var pipeline = CogLtxPipeline.Load(outDir);
        Assert.Equal(ReasonerTask.SpanQa, pipeline.Setup.Task);
    }

    [Fact]
    public void Recipe_UnknownKey_IsAnErrorNamingIt()
    {
        using var task = new TinyTask(train: 1);
        var path = Path.Combine(task.NewFolder("r"), "recipe.json");
        File.WriteAllText(path, "{ \"data\": \"synthetic-qa\", \"epoch\": 3 }");
        Assert.Contains("epoch", Assert.Throws<InvalidDataException>(() => TrainRecipe.Load(path)).Message);
    }
}
