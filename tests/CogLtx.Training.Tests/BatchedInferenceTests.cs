using CogLtx.Data;
using CogLtx.Judge;
using CogLtx.MemRecall;
using CogLtx.Models;
using CogLtx.Text.Tasks;
using CogLtx.Text.Documents;
using CogLtx.Training.Evaluation;
using CogLtx.Training.Inference;

namespace CogLtx.Training.Tests;

/// <summary>
/// Batched CogLTX inference (issue 12 item 3) against the document-by-document path, on real text (the sections of
/// docs/spec.md, 40 to 2,000+ tokens) tokenized by the real bert-base-uncased WordPiece, with a random judge and
/// reasoner (L2 H64 A2, 512 positions, init std 0.2 so that block scores differ) at the default capacity of 512.
/// </summary>
public sealed class BatchedInferenceTests
{
    private static readonly Lazy<(CogLtxModels Models, List<CogLtxExample> Examples)> Classification = new(() => Build(ReasonerTask.Classification));

    private static (CogLtxModels, List<CogLtxExample>) Build(ReasonerTask task)
    {
        var tokenizerDir = RealTokenizerConversionTests.FixtureTokenizer("bert-base-uncased");
        var setup = new TaskSetup { Task = task, LabelNames = task == ReasonerTask.SpanQa ? [] : ["a", "b", "c"] };
        var config = BertConfig.Scratch(30522, layers: 2, hidden: 64, heads: 2, intermediate: 128) with { InitializerRange = 0.2 };
        var models = CogLtxModels.CreateFresh(config, tokenizerDir, setup, Text.Documents.CogLtxOptions.Default, seed: 7);
        models.Eval();
        var converter = new ExampleConverter(models.Tokenizer, models.Setup, models.Options);
        var counter = new BlockIdCounter();
        var examples = Sections().Select((text, i) => new LongDocExample
        {
            Id = $"s{i}",
            Text = text,
            Labels = task == ReasonerTask.SpanQa ? [] : [setup.LabelNames[i % 3]],
            Question = task == ReasonerTask.SpanQa ? "which block does the judge keep in memory ?" : null,
        }).SelectMany(e => converter.Convert(e, counter)).ToList();
        return (models, examples);
    }

    /// <summary>The "## " sections of docs/spec.md.</summary>
    private static IEnumerable<string> Sections()
    {
        var root = Path.GetFullPath(Path.Combine(RealTokenizerConversionTests.FixtureTokenizer("bert-base-uncased"), "..", "..", "..", ".."));
        var spec = File.ReadAllText(Path.Combine(root, "docs", "spec.md"));
        return spec.Split("\n## ").Skip(1).Where(s => s.Length > 200).Take(12);
    }

    [Fact]
    public void RunMany_ChoosesTheBlocksAndScoresOfRun_ForEachDocument_InFewerJudgeCalls()
    {
        var (models, examples) = Classification.Value;
        Assert.Contains(examples, e => e.Blocks.DocumentBlocks.Sum(b => b.Length) > 4 * models.Options.Capacity);
        Assert.Contains(examples, e => e.Blocks.DocumentBlocks.Sum(b => b.Length) < models.Options.Capacity);
        var single = new CountingScorer(new JudgeScorer(models.Judge));
        var alone = examples.Select(e => new MemRecaller(single, models.Options).Run(e.Blocks.QueryBlocks, e.Blocks.DocumentBlocks)).ToList();
        var many = new CountingScorer(new JudgeScorer(models.Judge));
        var together = new MemRecaller(many, models.Options).RunMany([.. examples.Select(e => e.Blocks)]);

        Assert.Equal(alone.Count, together.Count);
        for (var i = 0; i < alone.Count; i++)
        {
            Assert.Equal(alone[i].Blocks.Select(b => b.Position), together[i].Blocks.Select(b => b.Position));
            Assert.Equal(alone[i].Steps.Count, together[i].Steps.Count);
            // Equal to float tolerance, not bit for bit: a row's arithmetic depends on the rows batched with it (observed
            // differences ~1e-7); padding itself is masked.
            AssertClose(alone[i].FineScores, together[i].FineScores);
            for (var s = 0; s < alone[i].Steps.Count; s++) AssertClose(alone[i].Steps[s].CoarseScores, together[i].Steps[s].CoarseScores);
            Assert.Equal(alone[i].ScoredInputs, together[i].ScoredInputs);
            Assert.Equal(alone[i].ScoredTokens, together[i].ScoredTokens);
        }
        // The scores are not all alike (a judge giving one value everywhere would hide a misaligned batch).
        Assert.True(together.SelectMany(r => r.FineScores).Where(f => f < 1f).Distinct().Count() > 20);
        Assert.Equal(single.Inputs, many.Inputs);
        Assert.True(many.Calls < single.Calls / 2, $"{many.Calls} judge calls batched against {single.Calls} document by document");
        Assert.All(many.Sizes, n => Assert.InRange(n, 1, models.Options.InferenceBatchSize));
    }

    [Fact]
    public void ClassifyMany_AndTheEvaluator_PredictAsDocumentByDocument()
    {
        var (models, examples) = Classification.Value;
        var predictor = new CogLtxPredictor(models);
        var alone = examples.Select(e => predictor.Classify(e)).ToList();
        var together = predictor.ClassifyMany(examples);
        for (var i = 0; i < alone.Count; i++)
        {
            Assert.Equal(alone[i].LabelId, together[i].LabelId);
            // the reasoner's batch pads shorter rows: masked, so equal to float tolerance (GEMM row blocking may differ)
            for (var c = 0; c < alone[i].Probabilities.Count; c++) Assert.Equal(alone[i].Probabilities[c], together[i].Probabilities[c], 5);
            Assert.Equal(alone[i].KeyBlocks.Select(k => k.Position), together[i].KeyBlocks.Select(k => k.Position));
        }
        Assert.True(alone.Select(p => p.Probabilities[0]).Distinct().Count() > alone.Count / 2);

        var one = Evaluator.Evaluate(models, examples, documentsPerPass: 1);
        var five = Evaluator.Evaluate(models, examples, documentsPerPass: 5);
        Assert.Equal(one.Examples.Select(e => (e.Id, e.Label, e.SelectedTokens)), five.Examples.Select(e => (e.Id, e.Label, e.SelectedTokens)));
        Assert.Equal(one.Classification!.Accuracy, five.Classification!.Accuracy);
    }

    [Fact]
    public void AnswerMany_DecodesEachRowOfTheBatch_AsAnswerDoes()
    {
        var (models, examples) = Build(ReasonerTask.SpanQa);
        var predictor = new CogLtxPredictor(models);
        var alone = examples.Select(e => predictor.Answer(e)).ToList();
        var together = predictor.AnswerMany(examples);
        for (var i = 0; i < alone.Count; i++)
        {
            Assert.Equal((alone[i].Kind, alone[i].AnswerSpan, alone[i].Answer), (together[i].Kind, together[i].AnswerSpan, together[i].Answer));
            Assert.Equal(alone[i].Score, together[i].Score, 4);
            Assert.Equal(alone[i].KeyBlocks.Select(k => k.Position), together[i].KeyBlocks.Select(k => k.Position));
        }
        Assert.True(alone.Select(p => p.AnswerSpan).Distinct().Count() > 1);
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i] == actual[i] || Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"score {i}: {expected[i]} alone, {actual[i]} batched");
    }

    private sealed class CountingScorer(IBlockScorer inner) : IBlockScorer
    {
        public int Calls { get; private set; }

        public List<int> Sizes { get; } = [];

        public int Inputs => Sizes.Sum();

        public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default)
        {
            Calls++;
            Sizes.Add(inputs.Count);
            return inner.ScoreTokens(inputs, cancellationToken);
        }
    }
}
