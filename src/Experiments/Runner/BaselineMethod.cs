using System.Diagnostics;
using System.Globalization;
using CogLtx.Baselines;
using CogLtx.Experiments.Config;
using CogLtx.Text.Tasks;
using CogLtx.Training;

namespace CogLtx.Experiments.Runner;

/// <summary>
/// A baseline in an experiment: built from a fresh <see cref="CogLtxModels"/> with the experiment's seed, so its
/// encoder and head start from exactly the weights CogLTX's reasoner starts from (Longformer: those weights converted),
/// trained with the same recipe (<see cref="BaselineTrainer"/>, resumed from its checkpoint after an interruption),
/// then asked for every test example.
/// </summary>
internal static class BaselineMethod
{
    public static MethodOutcome Run(string name, MethodContext context)
    {
        var (config, data) = (context.Config, context.Data);
        var baseline = Create(name, context);
        var options = new BaselineTrainingOptions
        {
            Epochs = Epochs(config, data),
            BatchSize = config.Training.BatchSize,
            AccumulationSteps = config.Training.AccumulationSteps,
            LearningRate = config.Training.ReasonerLearningRate,
            WarmupFraction = config.Training.WarmupFraction,
            FinalLearningRateFraction = config.Training.FinalLearningRateFraction,
            WeightDecay = config.Training.WeightDecay,
            MaxGradNorm = config.Training.MaxGradNorm,
            Seed = config.Training.Seed,
            CheckpointEverySteps = config.Training.CheckpointInterval,
        };
        var curve = context.OpenCurve();
        var selector = new EpochSelector(context, curve);
        Action<int, int>? epochEnded = selector.Enabled ? (epoch, step) =>
        {
            var predictions = Predict(context, baseline, data.Validation, name, "validate");
            selector.Record(epoch, step, Scoring.Headline(data, data.Validation, predictions, config.Evaluation.LongThreshold),
                dir => baseline.Model.SaveCheckpoint(Path.Combine(dir, WeightsFile)));
        } : null;
        var clock = Stopwatch.StartNew();
        var trainer = new BaselineTrainer(baseline, options, context.MethodDir);
        var result = trainer.Train([.. data.Train.Select(e => e.Input)], new Sink<BaselineTrainingProgress>(p =>
        {
            curve.Add(p.TotalSteps, "loss", p.Loss);
            var fraction = (p.Epoch + (double)p.Step / Math.Max(1, p.StepsPerEpoch)) / p.Epochs;
            context.Report(name, "train", fraction, string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:0.000}"));
        }), context.CancellationToken, epochEnded);
        var selected = selector.Select(data.HeadlineMetric, dir => baseline.Model.LoadCheckpoint(Path.Combine(dir, WeightsFile)));
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var predictions = Predict(context, baseline, data.Test, name, "evaluate");
        var evalSeconds = clock.Elapsed.TotalSeconds;
        var threshold = config.Evaluation.LongThreshold;
        var (metrics, outcomes) = data.IsSpanQa
            ? Scoring.SpanQa(data.Test, predictions, threshold)
            : Scoring.Classification(data.Test, predictions, threshold);
        context.WritePredictions(predictions, outcomes);
        if (selected is { } s) metrics["validation_" + data.HeadlineMetric] = s.Score;
        var tokens = data.Test.Average(e => (double)baseline.InputTokens(e.Input));
        var note = string.Create(CultureInfo.InvariantCulture, $"{options.Epochs} epochs, {result.Steps} optimizer steps; reads {tokens:0} tokens per document");
        if (data.IsSpanQa && data.Test.Any(e => e.Source.Sentences is not null)) note += "; predicts no supporting facts";
        return new MethodOutcome(metrics, outcomes, curve.Read(), trainSeconds, evalSeconds, note + selected?.Note);
    }

    private const string WeightsFile = "model.safetensors";

    /// <summary>The baseline's answer for every example, in eval mode, in batches of <c>evaluation.batch_size</c>.</summary>
    private static List<MethodPrediction> Predict(MethodContext context, LongTextBaseline baseline, IReadOnlyList<PreparedExample> examples, string name, string stage)
    {
        baseline.Model.Eval();
        var predictions = new List<MethodPrediction>(examples.Count);
        var batchSize = context.Config.Evaluation.BatchSize;
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var batch = examples.Skip(start).Take(batchSize).ToList();
            var output = baseline.Predict([.. batch.Select(e => e.Input)]);
            for (var i = 0; i < batch.Count; i++) predictions.Add(ToMethodPrediction(batch[i], output[i]));
            context.Report(name, stage, (double)predictions.Count / examples.Count, $"{predictions.Count}/{examples.Count} documents");
        }
        return predictions;
    }

    /// <summary>
    /// <c>baselines.epochs</c>, or by default as many passes as give the baseline the reasoner's number of training
    /// inputs: CogLTX draws n2 + n3 reasoner inputs per example and epoch (spec §5.3).
    /// </summary>
    public static int Epochs(ExperimentConfig config, ExperimentData data) =>
        config.Baselines.Epochs ?? config.Training.Epochs * Math.Max(1, data.Job.Options.PromisingSamples + data.Job.Options.RandomSamples);

    /// <summary>The named baseline on a fresh copy of CogLTX's initial reasoner.</summary>
    public static LongTextBaseline Create(string name, MethodContext context)
    {
        var (config, data) = (context.Config, context.Data);
        var models = data.Job.CreateModels(config.Training.Seed);
        var reasoner = models.Reasoner;
        var specials = data.Job.Tokenizer.Specials;
        var decoding = data.Job.Setup.Decoding;
        var b = config.Baselines;
        return name switch
        {
            MethodNames.Head => Truncate(TruncationKind.Head),
            MethodNames.Tail => Truncate(TruncationKind.Tail),
            MethodNames.HeadTail => Truncate(TruncationKind.HeadTail),
            MethodNames.SlidingMean => Slide(Pooling.Mean),
            MethodNames.SlidingMax or MethodNames.SlidingWindow => Slide(Pooling.Max),
            MethodNames.Longformer => LongformerBaseline.FromReasoner(reasoner, specials, b.LongformerMaxLength, b.LongformerAttentionWindow,
                models.ReasonerRng, decoding, name),
            _ => throw new ExperimentConfigException($"methods: \"{name}\" is not a baseline"),
        };

        LongTextBaseline Truncate(TruncationKind kind) =>
            new TruncationBaseline(reasoner, new Truncation(kind, b.HeadTokens), specials, b.MaxLength, name) { DropoutRng = models.ReasonerRng, Decoding = decoding };

        LongTextBaseline Slide(Pooling pooling) =>
            new SlidingWindowBaseline(reasoner, b.WindowStride, pooling, specials, b.MaxLength, name) { DropoutRng = models.ReasonerRng, Decoding = decoding };
    }

    /// <summary>Classification: the class id. QA: the span's text in the document ("yes"/"no"/"noanswer" for slots, "" when nothing is found).</summary>
    private static MethodPrediction ToMethodPrediction(PreparedExample example, BaselinePrediction prediction)
    {
        if (prediction.Answer is not { } answer) return new MethodPrediction(Label: prediction.Label);
        var text = answer.Kind switch
        {
            AnswerKind.Yes => "yes",
            AnswerKind.No => "no",
            AnswerKind.NoAnswer => "noanswer",
            AnswerKind.Span when answer.Start >= 0 && answer.End >= answer.Start && answer.End < example.Tokens.Count =>
                example.Source.Text[example.Tokens[answer.Start].Start..example.Tokens[answer.End].End],
            _ => "",
        };
        return new MethodPrediction(Answer: text);
    }
}
