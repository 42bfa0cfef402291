using System.Diagnostics;
using CogLtx.Baselines;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;
using CogLtx.Text.Documents;
using CogLtx.Training;
using CogLtx.Training.Inference;

namespace CogLtx.Experiments.Scaling;

/// <summary>What <see cref="ScalingBench"/> measures: document lengths, how many documents, the encoder.</summary>
public sealed record ScalingOptions
{
    public static readonly IReadOnlyList<int> DefaultLengths = [1024, 2048, 4096, 8192, 16384];

    /// <summary>Shortest length: the key-sentence generator puts its evidence past token 512 (SyntheticConfig).</summary>
    public const int MinLength = 612;

    /// <summary>Target document lengths in WordPiece tokens (the generator stops at the first sentence past it).</summary>
    public IReadOnlyList<int> Lengths { get; init; } = DefaultLengths;

    /// <summary>Training documents per length: one CogLTX epoch over them (judge and reasoner), one sliding-window epoch.</summary>
    public int TrainDocuments { get; init; } = 8;

    /// <summary>Test documents per length, each timed on its own (one more is generated as the untimed warm-up, the last).</summary>
    public int TestDocuments { get; init; } = 4;

    /// <summary>The encoder trained from scratch (judge, reasoner, baseline).</summary>
    public ModelConfig Model { get; init; } = new();

    /// <summary>Whether the sliding-window baseline (max pooling, stride 509) is measured beside CogLTX.</summary>
    public bool SlidingWindow { get; init; } = true;

    public ulong Seed { get; init; } = 1;

    public ScalingOptions Validate()
    {
        if (Lengths.Count == 0 || Lengths.Any(l => l < MinLength)) throw new ArgumentException($"lengths must be at least {MinLength} tokens each (the synthetic documents hold evidence past token 512), got [{string.Join(", ", Lengths)}]");
        if (TrainDocuments < 1) throw new ArgumentException($"training documents per length (--train-docs) must be ≥ 1, got {TrainDocuments}");
        if (TestDocuments < 1) throw new ArgumentException($"test documents per length (--test-docs) must be ≥ 1, got {TestDocuments}");
        return this;
    }
}

/// <summary>
/// The paper's cost claims ([P] §2, §4.5, Fig. 6; spec §7 "Memory/time"), measured: CogLTX's training memory does not
/// grow with the document (every judge and reasoner input is at most 512 tokens) and its inference time grows
/// linearly (MemRecall's judge passes are ⌈blocks / blocks-per-input⌉ + 1 per step). For each length it trains a
/// fresh CogLTX (supervised relevance, one epoch) and a sliding-window classifier, whose training back-propagates
/// through every window of a document (its time grows with the windows; its memory is bounded by
/// <see cref="SlidingWindowBaseline.RowsPerForward"/> windows), on synthetic key-sentence documents of that length, then
/// times inference document by document. Memory is sampled every 5 ms after a compacting collection
/// (<see cref="MemorySampler"/>). If the sliding window runs out of memory under a heap limit
/// (<c>DOTNET_GCHeapHardLimit</c>), that length and the longer ones record it as out of memory, and CogLTX goes on being measured.
/// For <c>cogltx bench scaling</c>: minutes of work, not a unit test.
/// </summary>
public static class ScalingBench
{
    public static ScalingResult Run(ScalingOptions options, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var points = new List<ScalingPoint>();
        var root = Directory.CreateTempSubdirectory("cogltx-scaling-");
        try
        {
            var slidingOutOfMemory = false;
            foreach (var length in options.Lengths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var data = ExperimentData.Prepare(Config(options, length), Path.Combine(root.FullName, length.ToString(System.Globalization.CultureInfo.InvariantCulture)), null);
                var cogltx = MeasureCogLtx(data, options, cancellationToken);
                PhaseCost? sliding = null;
                if (options.SlidingWindow && !slidingOutOfMemory)
                {
                    try
                    {
                        sliding = MeasureSliding(data, cancellationToken);
                    }
                    catch (OutOfMemoryException)
                    {
                        slidingOutOfMemory = true;
                    }
                }
                var point = new ScalingPoint(length, data.Test.SkipLast(1).Average(e => (double)e.DocumentTokens), cogltx, sliding, slidingOutOfMemory);
                points.Add(point);
                progress?.Invoke(point.Summary());
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
        var m = options.Model;
        return new ScalingResult($"BERT L{m.Layers} H{m.Hidden} A{m.Heads} I{m.Intermediate} from scratch", Tensors.Gemm.Backend, Tensors.ComputeOptions.Current.Threads,
            options.TrainDocuments, options.TestDocuments, points);
    }

    /// <summary>Synthetic key-sentence classification (the main job's task) with every document near <paramref name="length"/> tokens.</summary>
    private static ExperimentConfig Config(ScalingOptions options, int length) => new ExperimentConfig
    {
        Name = $"scaling-{length}",
        Dataset = new DatasetConfig
        {
            Name = DatasetConfig.SyntheticCls,
            Synthetic = new SyntheticConfig { TrainCount = options.TrainDocuments, TestCount = options.TestDocuments + 1, MinTokens = length, MaxTokens = length, Seed = options.Seed },
        },
        Vocab = new VocabConfig { MaxSize = 4000 },
        Model = options.Model,
        Training = new TrainingConfig { Epochs = 1, BatchSize = 4, AccumulationSteps = 1, Seed = options.Seed },
        Methods = [MethodNames.CogLtx],
    }.Validate("scaling bench");

    private static PhaseCost MeasureCogLtx(ExperimentData data, ScalingOptions options, CancellationToken ct)
    {
        var models = data.Job.CreateModels(options.Seed);
        var converter = new ExampleConverter(models.Tokenizer, models.Setup, models.Options);
        var train = converter.ConvertAll(data.Train.Select(e => e.Source), new BlockIdCounter());
        var trainOptions = CogLtxMethod.TrainingOptions(new TrainingConfig { Epochs = 1, BatchSize = 4, AccumulationSteps = 1, Seed = options.Seed }) with { CheckpointEverySteps = 0 };
        var trainer = new JointTrainer(models, train, trainOptions, checkpointRoot: null);
        var training = Measure(() => trainer.Train(cancellationToken: ct).TotalSteps);

        models.Eval();
        var predictor = new CogLtxPredictor(models);
        var counter = new BlockIdCounter();
        var judgeInputs = new List<double>();
        var inference = MeasureDocuments(data, ct, e =>
        {
            var p = predictor.Classify(converter.Convert(e.Source, counter)[0], useMemRecall: true, ct);
            judgeInputs.Add(p.Trace?.ScoredInputs ?? 0);
        });
        var blocks = data.Test.SkipLast(1).Average(e => (double)converter.Convert(e.Source, new BlockIdCounter())[0].Blocks.DocumentBlocks.Count);
        return Cost(training, inference, blocks, judgeInputs.Skip(1).Average());
    }

    /// <summary>The sliding-window classifier (max pooling, windows 509 tokens apart) from the same fresh reasoner.</summary>
    private static PhaseCost MeasureSliding(ExperimentData data, CancellationToken ct)
    {
        var models = data.Job.CreateModels(seed: 1);
        var baseline = new SlidingWindowBaseline(models.Reasoner, stride: 509, Pooling.Max, data.Job.Tokenizer.Specials) { DropoutRng = models.ReasonerRng };
        var trainer = new BaselineTrainer(baseline, new BaselineTrainingOptions { Epochs = 1, BatchSize = 4, AccumulationSteps = 1, LearningRate = 1e-3 });
        var training = Measure(() => trainer.Train([.. data.Train.Select(e => e.Input)], cancellationToken: ct).Steps);

        baseline.Model.Eval();
        var inference = MeasureDocuments(data, ct, e => baseline.Predict([e.Input]));
        var windows = data.Test.SkipLast(1).Average(e => (double)baseline.Views(e.Input).Count);
        return Cost(training, inference, windows, windows);
    }

    /// <summary>Wall time and peak memory of <paramref name="work"/>, which returns how many units (steps, documents) it did.</summary>
    private static Measurement Measure(Func<int> work)
    {
        using var sampler = new MemorySampler(TimeSpan.FromMilliseconds(5));
        var clock = Stopwatch.StartNew();
        var units = work();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(seconds / Math.Max(1, units), sampler.PeakManagedMb - sampler.StartManagedMb, sampler.PeakWorkingSetMb);
    }

    /// <summary>Runs <paramref name="predict"/> on the warm-up document (the last, untimed), then measures it over the others.</summary>
    private static Measurement MeasureDocuments(ExperimentData data, CancellationToken ct, Action<PreparedExample> predict)
    {
        predict(data.Test[^1]);
        return Measure(() =>
        {
            var timed = data.Test.SkipLast(1).ToList();
            foreach (var e in timed)
            {
                ct.ThrowIfCancellationRequested();
                predict(e);
            }
            return timed.Count;
        });
    }

    private static PhaseCost Cost(Measurement training, Measurement inference, double units, double encoderInputs) =>
        new(training.SecondsPerUnit, training.PeakManagedMb, training.PeakWorkingSetMb, inference.SecondsPerUnit, inference.PeakManagedMb,
            inference.PeakWorkingSetMb, units, encoderInputs);

    private readonly record struct Measurement(double SecondsPerUnit, double PeakManagedMb, double PeakWorkingSetMb);
}
