using System.Diagnostics;
using System.Globalization;
using CogLtx.Experiments.Config;
using CogLtx.Nn;
using CogLtx.Text.Documents;
using CogLtx.Training;
using CogLtx.Training.Evaluation;

namespace CogLtx.Experiments.Runner;

/// <summary>
/// CogLTX in an experiment: judge and reasoner trained jointly (from scratch or from the pretrained encoder) (<see cref="JointTrainer"/>, resumed from
/// its checkpoint after an interruption), then MemRecall + reasoner on every test document, decoded as the task setup
/// says (<see cref="Evaluator"/>, as <c>cogltx train</c> evaluates).
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
        List<CogLtxExample> ConvertTrain(CogLtxModels m) => Convert(m, data.Train);

        var clock = Stopwatch.StartNew();
        JointTrainer trainer;
        if (CheckpointStore.Find(checkpoints) is not null)
        {
            context.Report(name, "train", 0, "resuming from checkpoint");
            trainer = JointTrainer.Resume(checkpoints, ConvertTrain);
        }
        else
        {
            var fresh = data.Job.CreateModels(config.Training.Seed);
            trainer = new JointTrainer(fresh, ConvertTrain(fresh), options, checkpoints);
        }
        var epochs = config.Training.Epochs;
        var selector = new EpochSelector(context, curve);
        List<CogLtxExample>? validation = null;
        Action<EpochSummary, int>? epochEnded = selector.Enabled ? (summary, step) =>
        {
            var models = trainer.Models;
            validation ??= Convert(models, data.Validation);
            var (predictions, _) = Predict(context, models, validation, "validate");
            selector.Record(summary.Epoch, step, Scoring.Headline(data, data.Validation, predictions, config.Evaluation.LongThreshold), dir => Save(models, dir));
        } : null;
        var result = trainer.Train(new Sink<TrainingProgress>(p =>
        {
            var phase = p.Phase == TrainingPhase.Judge ? 0 : 1;
            var fraction = (2.0 * p.Epoch + phase + (double)p.Step / Math.Max(1, p.StepsInPhase)) / (2.0 * epochs);
            var series = p.Phase == TrainingPhase.Judge ? "judge" : "reasoner";
            curve.Add(p.TotalSteps, series, p.Loss);
            context.Report(name, "train", fraction, string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch + 1}/{epochs} {series} step {p.Step}/{p.StepsInPhase} loss {p.Loss:0.000}"));
        }), context.CancellationToken, epochEnded);
        var selected = selector.Select(data.HeadlineMetric, dir => Load(trainer.Models, dir));
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var (predictions, report) = Predict(context, trainer.Models, Convert(trainer.Models, data.Test), "evaluate");
        var evalSeconds = clock.Elapsed.TotalSeconds;
        var threshold = config.Evaluation.LongThreshold;
        var (metrics, outcomes) = data.IsSpanQa
            ? Scoring.SpanQa(data.Test, predictions, threshold)
            : Scoring.Classification(data.Test, predictions, threshold);
        context.WritePredictions(predictions, outcomes);
        if (!double.IsNaN(report.RelevantRecall)) metrics["relevant_recall"] = report.RelevantRecall;
        if (selected is { } s) metrics["validation_" + data.HeadlineMetric] = s.Score;
        var recall = double.IsNaN(report.RelevantRecall)
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"MemRecall put {report.RelevantRecall:P0} of the gold-relevant blocks into z; ");
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{epochs} epochs, {result.TotalSteps} optimizer steps (judge + reasoner); {recall}the reasoner read {report.MeanSelectedTokens:0} tokens per document{selected?.Note}");
        return new MethodOutcome(metrics, outcomes, curve.Read(), trainSeconds, evalSeconds, note);
    }

    private static List<CogLtxExample> Convert(CogLtxModels models, IReadOnlyList<PreparedExample> examples) =>
        new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(examples.Select(e => (e.Source, e.Tokens)), new BlockIdCounter());

    /// <summary>MemRecall + reasoner on every example, decoded as the task setup says; <paramref name="stage"/> names the progress line.</summary>
    private static (List<MethodPrediction> Predictions, EvaluationReport Report) Predict(
        MethodContext context, CogLtxModels models, IReadOnlyList<CogLtxExample> examples, string stage)
    {
        var report = Evaluator.Evaluate(models, examples, progress: new Sink<int>(n => context.Report(MethodNames.CogLtx, stage, (double)n / examples.Count, $"{n}/{examples.Count} documents")),
            cancellationToken: context.CancellationToken);
        var predictions = report.Examples.Select(r => context.Data.IsSpanQa
            ? new MethodPrediction(Answer: r.Prediction, SupportingFacts: r.SupportingFacts)
            : new MethodPrediction(Label: r.Label)).ToList();
        return (predictions, report);
    }

    private const string JudgeWeights = "judge.safetensors";
    private const string ReasonerWeights = "reasoner.safetensors";

    private static void Save(CogLtxModels models, string dir)
    {
        models.Judge.SaveCheckpoint(Path.Combine(dir, JudgeWeights));
        models.Reasoner.SaveCheckpoint(Path.Combine(dir, ReasonerWeights));
    }

    private static void Load(CogLtxModels models, string dir)
    {
        models.Judge.LoadCheckpoint(Path.Combine(dir, JudgeWeights));
        models.Reasoner.LoadCheckpoint(Path.Combine(dir, ReasonerWeights));
    }

    /// <summary>The experiment's recipe as CogLTX training options (checkpoints every <c>training.checkpoint_every_steps</c> steps for resumption).</summary>
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
        CheckpointEverySteps = t.CheckpointInterval,
    };
}

/// <summary>A synchronous <see cref="IProgress{T}"/> (Progress&lt;T&gt; would post to the thread pool and reorder reports).</summary>
internal sealed class Sink<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
