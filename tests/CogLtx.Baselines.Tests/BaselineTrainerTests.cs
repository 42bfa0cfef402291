using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;

namespace CogLtx.Baselines.Tests;

public sealed class BaselineTrainerTests
{
    // The label is written as the document's first token (id 5 or 6): visible to head truncation.
    private static List<BaselineExample> Data(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var doc = TinyModels.Document(12, (ulong)i + 10);
            doc[0] = 5 + i % 2;
            return new BaselineExample($"x{i}", [], doc) { Label = i % 2 };
        })];

    private static TruncationBaseline Head(ulong seed, double dropout = 0.0)
    {
        var dropoutRng = new Rng(seed + 100);
        var model = ReasonerModel.Create(TinyModels.Config(64, dropout), ReasonerTask.Classification, 2, Nn.VarBuilder.Fresh(new Rng(seed)), dropoutRng);
        return new TruncationBaseline(model, new Truncation(TruncationKind.Head), TinyModels.Specials, maxLength: 16) { DropoutRng = dropoutRng };
    }

    [Fact]
    public void Train_LowersTheLoss()
    {
        var options = new BaselineTrainingOptions { Epochs = 12, BatchSize = 4, AccumulationSteps = 1, LearningRate = 1e-2, Seed = 3 };
        var result = new BaselineTrainer(Head(1), options).Train(Data(16));
        Assert.Equal(48, result.Steps);
        var first = result.Curve.Take(4).Average(p => p.Loss);
        var last = result.Curve.TakeLast(4).Average(p => p.Loss);
        Assert.True(last < 0.5 * first, $"loss went from {first:0.###} to {last:0.###}");
    }

    [Fact]
    public void Train_Interrupted_ResumesToTheSameWeightsAsAnUninterruptedRun()
    {
        var options = new BaselineTrainingOptions { Epochs = 3, BatchSize = 2, AccumulationSteps = 2, LearningRate = 5e-3, Seed = 4, CheckpointEverySteps = 1 };
        var data = Data(10);
        var straight = Head(2, dropout: 0.1);
        var full = new BaselineTrainer(straight, options).Train(data);

        var dir = Path.Combine(Path.GetTempPath(), "cogltx-baseline-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var cts = new CancellationTokenSource();
            var first = Head(2, dropout: 0.1);
            var stopAt = new SyncProgress(p => { if (p.TotalSteps == 5) cts.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new BaselineTrainer(first, options, dir).Train(data, stopAt, cts.Token));

            var resumedModel = Head(2, dropout: 0.1);
            var resumed = new BaselineTrainer(resumedModel, options, dir).Train(data);
            Assert.Equal(5, resumed.ResumedAtStep);
            Assert.Equal(full.Steps, resumed.Steps);
            Assert.Equal(full.Curve.Select(p => p.Loss), resumed.Curve.Select(p => p.Loss));
            var expected = straight.Model.StateDict();
            foreach (var (name, value) in resumedModel.Model.StateDict()) Assert.Equal(expected[name].Data, value.Data);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Train_PredictingAfterEachEpoch_GivesBitIdenticalWeightsWithDropout()
    {
        var options = new BaselineTrainingOptions { Epochs = 3, BatchSize = 2, AccumulationSteps = 2, LearningRate = 5e-3, Seed = 4 };
        var data = Data(10);
        var plain = Head(2, dropout: 0.1);
        var plainResult = new BaselineTrainer(plain, options).Train(data);

        var watched = Head(2, dropout: 0.1);
        var calls = new List<(int Epoch, int Steps)>();
        var result = new BaselineTrainer(watched, options).Train(data, epochEnded: (epoch, steps) =>
        {
            calls.Add((epoch, steps));
            watched.Model.Eval();
            watched.Predict(data);
        });

        Assert.Equal([(0, 3), (1, 6), (2, 9)], calls);
        Assert.Equal(plainResult.Curve.Select(p => p.Loss), result.Curve.Select(p => p.Loss));
        var expected = plain.Model.StateDict();
        foreach (var (name, value) in watched.Model.StateDict()) Assert.Equal(expected[name].Data, value.Data);
    }

    [Fact]
    public void Train_SlidingWindowsWithDropout_Interrupted_ResumesToTheSameWeightsAsAnUninterruptedRun()
    {
        // Documents of 30 tokens make 4 windows of 13 each, 3 per encoder call: every micro-batch re-encodes its
        // windows in a second pass, replaying the dropout stream, which the checkpoint must then hold where pass 1 left it.
        var options = new BaselineTrainingOptions { Epochs = 2, BatchSize = 2, AccumulationSteps = 1, LearningRate = 5e-3, Seed = 5, CheckpointEverySteps = 1 };
        var data = Enumerable.Range(0, 6).Select(i => new BaselineExample($"s{i}", [], TinyModels.Document(30, (ulong)i + 40)) { Label = i % 2 }).ToList();
        var straight = Sliding(4);
        var full = new BaselineTrainer(straight, options).Train(data);

        var dir = Path.Combine(Path.GetTempPath(), "cogltx-baseline-sliding-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var cts = new CancellationTokenSource();
            var stopAt = new SyncProgress(p => { if (p.TotalSteps == 4) cts.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new BaselineTrainer(Sliding(4), options, dir).Train(data, stopAt, cts.Token));
            var resumedModel = Sliding(4);
            var resumed = new BaselineTrainer(resumedModel, options, dir).Train(data);
            Assert.Equal(4, resumed.ResumedAtStep);
            Assert.Equal(full.Curve, resumed.Curve);
            var expected = straight.Model.StateDict();
            foreach (var (name, value) in resumedModel.Model.StateDict()) Assert.Equal(expected[name].Data, value.Data);
            Assert.Equal(straight.DropoutRng!.State, resumedModel.DropoutRng!.State);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }

        static SlidingWindowBaseline Sliding(ulong seed)
        {
            var dropoutRng = new Rng(seed + 100);
            var model = ReasonerModel.Create(TinyModels.Config(64, 0.1), ReasonerTask.Classification, 2, Nn.VarBuilder.Fresh(new Rng(seed)), dropoutRng);
            return new SlidingWindowBaseline(model, stride: 6, Pooling.Max, TinyModels.Specials, maxLength: 16) { DropoutRng = dropoutRng, RowsPerForward = 3 };
        }
    }

    [Fact]
    public void Train_KilledBetweenCheckpoints_ResumesFromTheLastOneToTheUninterruptedRun()
    {
        // Checkpoints every 2 steps and a kill after step 5: step 5 is lost and done again, a half-written checkpoint
        // folder left by the kill is ignored, and the curve holds each step once.
        var options = new BaselineTrainingOptions { Epochs = 2, BatchSize = 2, AccumulationSteps = 2, LearningRate = 5e-3, Seed = 7, CheckpointEverySteps = 2 };
        var data = Data(9);
        var straight = Head(3, dropout: 0.1);
        var full = new BaselineTrainer(straight, options).Train(data);

        var root = Path.Combine(Path.GetTempPath(), "cogltx-baseline-kill-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var cts = new CancellationTokenSource();
            var killAt = new SyncProgress(p => { if (p.TotalSteps == 5) cts.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new BaselineTrainer(Head(3, dropout: 0.1), options, root).Train(data, killAt, cts.Token));
            var halfWritten = Directory.CreateDirectory(Path.Combine(root, "checkpoint.tmp-killed"));
            File.WriteAllText(Path.Combine(halfWritten.FullName, "model.safetensors"), "partial");

            var resumedModel = Head(3, dropout: 0.1);
            var resumed = new BaselineTrainer(resumedModel, options, root).Train(data);
            Assert.Equal(4, resumed.ResumedAtStep);
            Assert.Equal(full.Curve, resumed.Curve);
            var expected = straight.Model.StateDict();
            foreach (var (name, value) in resumedModel.Model.StateDict()) Assert.Equal(expected[name].Data, value.Data);
            Assert.Equal(["checkpoint"], Directory.GetDirectories(root).Select(Path.GetFileName));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Train_NonFiniteLoss_StopsNamingTheStep_AndKeepsTheLastCheckpoint()
    {
        var options = new BaselineTrainingOptions { Epochs = 1, BatchSize = 2, AccumulationSteps = 1, LearningRate = 1e-3, CheckpointEverySteps = 1 };
        var root = Path.Combine(Path.GetTempPath(), "cogltx-baseline-nan-" + Guid.NewGuid().ToString("N"));
        try
        {
            var baseline = Head(1);
            var classifier = baseline.Model.NamedParameters().Last().Value;
            var poison = new SyncProgress(p => { if (p.TotalSteps == 2) classifier.Data[0] = float.NaN; });
            var error = Assert.Throws<TrainingDivergedException>(() => new BaselineTrainer(baseline, options, root).Train(Data(8), poison));
            Assert.Contains("epoch 0, step 3", error.Message);
            Assert.Contains("NaN", error.Message);
            var state = File.ReadAllText(Path.Combine(root, "checkpoint", "state.json"));
            Assert.Contains("\"TotalSteps\": 2", state);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Train_CheckpointOfOtherData_IsRejected()
    {
        var options = new BaselineTrainingOptions { Epochs = 1, BatchSize = 4, AccumulationSteps = 1, LearningRate = 1e-3 };
        var dir = Path.Combine(Path.GetTempPath(), "cogltx-baseline-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            new BaselineTrainer(Head(1), options, dir).Train(Data(8));
            var e = Assert.Throws<InvalidDataException>(() => new BaselineTrainer(Head(1), options, dir).Train(Data(6)));
            Assert.Contains("8 examples", e.Message);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Options_Invalid_NameTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => new BaselineTrainingOptions { Epochs = 0 }.Validate());
        Assert.Contains("Epochs", e.Message);
    }

    private sealed class SyncProgress(Action<BaselineTrainingProgress> report) : IProgress<BaselineTrainingProgress>
    {
        public void Report(BaselineTrainingProgress value) => report(value);
    }
}
