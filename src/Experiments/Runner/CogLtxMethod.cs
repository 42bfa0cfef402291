using System.Diagnostics;
using System.Globalization;
using CogLtx.Experiments.Config;
using CogLtx.Nn;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training;
using CogLtx.Training.Inference;

namespace CogLtx.Experiments.Runner;

/// <summary>
/// CogLTX in an experiment: judge and reasoner trained jointly (from scratch or from the pretrained encoder) (<see cref="JointTrainer"/>, resumed from
/// its checkpoint after an interruption), then MemRecall + reasoner on every test document (<see cref="CogLtxPredictor"/>).
/// Besides the task metrics it reports MemRecall's recall of the gold-relevant blocks and the tokens it reads.
/// </summary>
internal static class CogLtxMethod
{
    public static MethodOutcome Run(MethodContext context)
    {
        var (config, data) = (context.Config, context.Data);
        var name = MethodNames.CogLtx;
        var checkpoints = Path.Combine(context.MethodDir, "checkpoints");
        var options = TrainingOptions(config.Training);
        var curve = context.OpenCurve();
        List<CogLtxExample> Convert(CogLtxModels m) =>
            new ExampleConverter(m.Tokenizer, m.Setup, m.Options).ConvertAll(data.Train.Select(e => e.Source), new BlockIdCounter());

        var clock = Stopwatch.StartNew();
        JointTrainer trainer;
        if (CheckpointStore.Find(checkpoints) is not null)
        {
            context.Report(name, "train", 0, "resuming from checkpoint");
            trainer = JointTrainer.Resume(checkpoints, Convert);
        }
        else
        {
            var fresh = data.CreateModels(config.Training.Seed);
            trainer = new JointTrainer(fresh, Convert(fresh), options, checkpoints);
        }
        var epochs = config.Training.Epochs;
        var result = trainer.Train(new Sink<TrainingProgress>(p =>
        {
            var phase = p.Phase == TrainingPhase.Judge ? 0 : 1;
            var fraction = (2.0 * p.Epoch + phase + (double)p.Step / Math.Max(1, p.StepsInPhase)) / (2.0 * epochs);
            var series = p.Phase == TrainingPhase.Judge ? "judge" : "reasoner";
            curve.Add(p.TotalSteps, series, p.Loss);
            context.Report(name, "train", fraction, string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch + 1}/{epochs} {series} step {p.Step}/{p.StepsInPhase} loss {p.Loss:0.000}"));
        }), context.CancellationToken);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var models = trainer.Models;
        models.Eval();
        var predictor = new CogLtxPredictor(models, context.Decoding, config.Cogltx.SupportingFacts);
        var converter = new ExampleConverter(models.Tokenizer, models.Setup, models.Options);
        var counter = new BlockIdCounter();
        var predictions = new List<MethodPrediction>(data.Test.Count);
        var recalls = new List<double>();
        var tokensRead = new List<int>();
        for (var i = 0; i < data.Test.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var example = converter.Convert(data.Test[i].Source, counter)[0];
            IReadOnlyList<KeyBlock> keyBlocks;
            if (data.IsSpanQa)
            {
                var p = predictor.Answer(example, useMemRecall: true, context.CancellationToken);
                predictions.Add(new MethodPrediction(Answer: p.Kind == AnswerKind.NoAnswer ? "noanswer" : p.Answer, SupportingFacts: p.SupportingFacts));
                keyBlocks = p.KeyBlocks;
            }
            else
            {
                var p = predictor.Classify(example, useMemRecall: true, context.CancellationToken);
                predictions.Add(new MethodPrediction(Label: p.LabelId));
                keyBlocks = p.KeyBlocks;
            }
            var selected = keyBlocks.Select(k => k.Position).ToHashSet();
            if (example.GoldRelevant.Count > 0) recalls.Add(example.GoldRelevant.Count(b => selected.Contains(b.Position)) / (double)example.GoldRelevant.Count);
            tokensRead.Add(example.Blocks.AllBlocks.Where(b => b.Kind == BlockKind.Query || selected.Contains(b.Position)).Sum(b => b.Length));
            context.Report(name, "evaluate", (i + 1.0) / data.Test.Count, $"{i + 1}/{data.Test.Count} documents");
        }
        var evalSeconds = clock.Elapsed.TotalSeconds;
        var threshold = config.Evaluation.LongThreshold;
        var (metrics, outcomes) = data.IsSpanQa
            ? Scoring.SpanQa(data.Test, predictions, threshold)
            : Scoring.Classification(data.Test, predictions, threshold);
        context.WritePredictions(predictions, outcomes);
        if (recalls.Count > 0) metrics["relevant_recall"] = recalls.Average();
        var recall = recalls.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"MemRecall put {recalls.Average():P0} of the gold-relevant blocks into z; ")
            : "";
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{epochs} epochs, {result.TotalSteps} optimizer steps (judge + reasoner); {recall}the reasoner read {tokensRead.Average():0} tokens per document");
        return new MethodOutcome(metrics, outcomes, curve.Read(), trainSeconds, evalSeconds, note);
    }

    /// <summary>The experiment's recipe as CogLTX training options (checkpoints every 50 steps for resumption).</summary>
    public static TrainingOptions TrainingOptions(TrainingConfig t) => new()
    {
        Epochs = t.Epochs,
        BatchSize = t.BatchSize,
        AccumulationSteps = t.AccumulationSteps,
        JudgeLearningRate = t.JudgeLearningRate,
        ReasonerLearningRate = t.ReasonerLearningRate,
        WarmupFraction = t.WarmupFraction,
        FinalLearningRateFraction = t.FinalLearningRateFraction,
        WeightDecay = t.WeightDecay,
        MaxGradNorm = t.MaxGradNorm,
        Relevance = t.Relevance,
        InitRelevance = t.InitRelevance,
        Seed = t.Seed,
        CheckpointEverySteps = 50,
    };
}

/// <summary>A synchronous <see cref="IProgress{T}"/> (Progress&lt;T&gt; would post to the thread pool and reorder reports).</summary>
internal sealed class Sink<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
