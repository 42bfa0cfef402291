using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Tokenization;
using CogLtx.Training.Pretraining;

namespace CogLtx.Training.Tests.Pretraining;

/// <summary>Pre-training end to end on a tiny model (L2 H32) with the real bert-base-uncased tokenizer.</summary>
[Collection(SerialCollection.Name)]
public sealed class MlmPretrainerTests : IDisposable
{
    private static readonly string[] Subjects = ["the cat", "a dog", "the bird", "my friend", "the teacher"];
    private static readonly string[] Verbs = ["sat on", "looked at", "walked to", "ran past"];
    private static readonly string[] Objects = ["the mat", "a tree", "the house", "the river"];

    private readonly string dir = Path.Combine(Path.GetTempPath(), "cogltx-pretrain-tests-" + Guid.NewGuid().ToString("N"));

    public MlmPretrainerTests()
    {
        Directory.CreateDirectory(dir);
        var rng = new Rng(9);
        File.WriteAllLines(Path.Combine(dir, "corpus.txt"), Enumerable.Range(0, 120).SelectMany(_ => new[]
        {
            string.Join(" ", Enumerable.Range(0, 3).Select(_ => $"{Subjects[rng.NextInt(Subjects.Length)]} {Verbs[rng.NextInt(Verbs.Length)]} {Objects[rng.NextInt(Objects.Length)]}.")),
            "",
        }));
        BertConfig.Scratch(Tokenizer.VocabSize, layers: 2, hidden: 32, heads: 2, maxLength: 64).Save(ConfigPath);
    }

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
    }

    private static string TokenizerDir => Path.Combine(HuggingFaceLayout.RepoRoot, "tests", "fixtures", "tokenizers", "bert-base-uncased");

    private static ITokenizer Tokenizer { get; } = TokenizerLoader.Load(TokenizerDir);

    private string ConfigPath => Path.Combine(dir, "config.json");

    private static readonly PretrainOptions Tiny = new()
    {
        MaxLength = 32, BatchSize = 4, AccumulationSteps = 2, LearningRate = 2e-3, Steps = 12, EvalEverySteps = 4, EvalSequences = 8,
        HeldOutFraction = 0.1, CheckpointEverySteps = 3, Seed = 5,
    };

    private PretrainResult Run(string outName, PretrainOptions options, string corpusFile = "corpus.txt")
    {
        // Two engine threads, as the tool runs on a 2-core machine (these shapes are small; CheckpointTests splits work).
        using var scope = ComputeOptions.Use(ComputeOptions.Default with { Threads = 2 });
        return PretrainJob.Run(new PretrainRequest([Path.Combine(dir, corpusFile)], Path.Combine(dir, outName), options) { Config = ConfigPath, TokenizerDir = TokenizerDir },
            null, _ => { });
    }

    [Fact]
    public void Run_TinyCorpus_HeldOutLossFallsBelowUnigram_AndTheOutputReloadsAsHuggingFaceMaskedLm()
    {
        var result = Run("out", Tiny with { Steps = 150, AccumulationSteps = 1, LearningRate = 3e-3, EvalEverySteps = 50 });
        Assert.True(result.Completed);
        Assert.Equal([0, 50, 100, 150], result.HeldOut.Select(p => p.Step));
        var (first, last) = (result.HeldOut[0], result.HeldOut[^1]);
        Assert.True(last.Loss < first.Loss - 3, $"held-out loss {first.Loss} → {last.Loss}");
        Assert.True(last.Loss < result.UnigramLoss, $"held-out loss {last.Loss} not below the unigram baseline {result.UnigramLoss}");
        Assert.True(result.Train.TakeLast(10).Average(p => p.Loss) < result.Train.Take(10).Average(p => p.Loss));

        var outDir = Path.Combine(dir, "out");
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", PretrainJob.SummaryFile })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        var (model, report) = ModelLoader.Load<MaskedLmModel>(outDir, new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Equal("BertForMaskedLM", model.Architecture);
        Assert.Equal(Tokenizer.VocabSize, TokenizerLoader.Load(outDir).VocabSize);
        // The saved weights are the last checkpoint's.
        var checkpoint = SafeTensors.Read(Path.Combine(CheckpointStore.Find(outDir)!, "model.safetensors"));
        foreach (var (name, value) in model.NamedParameters()) Assert.Equal(checkpoint.GetFloat(name).Data, value.Data);
    }

    [Fact]
    public void Resume_AfterAStopInTheSecondEpoch_GivesTheUninterruptedRunsBytesAndCurves()
    {
        var straight = Run("straight", Tiny);
        Assert.True(straight.Completed);
        Assert.True(straight.Steps > 12 / 2 && straight.TrainSequences / (Tiny.BatchSize * Tiny.AccumulationSteps) < 12,
            $"the run should span epochs: {straight.TrainSequences} sequences");
        var stopped = Run("resumed", Tiny with { StopAfterSteps = 7 });
        Assert.False(stopped.Completed);
        Assert.Equal(7, stopped.TotalSteps);
        Assert.False(File.Exists(Path.Combine(dir, "resumed", "model.safetensors")), "a stopped run must not write the final model");
        var resumed = Run("resumed", Tiny);
        Assert.Equal(7, resumed.ResumedAt);
        Assert.True(resumed.Completed);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "straight", "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "resumed", "model.safetensors")));
        Assert.Equal(straight.Train, resumed.Train);
        Assert.Equal(straight.HeldOut, resumed.HeldOut);
    }

    [Fact]
    public void Run_ZeroSteps_WritesTheSeededStartingModelUntrained_WhateverTheCorpus()
    {
        File.WriteAllLines(Path.Combine(dir, "other.txt"), Enumerable.Range(0, 40).SelectMany(i => new[] { $"another text {i} entirely.", "" }));
        var result = Run("init", Tiny with { Steps = 0 });
        Run("init-other", Tiny with { Steps = 0 }, "other.txt");
        var trained = Run("trained", Tiny with { Steps = 2 });

        Assert.True(result.Completed);
        Assert.Equal(0, result.TotalSteps);
        Assert.Empty(result.Train);
        Assert.Equal([0], result.HeldOut.Select(p => p.Step));
        Assert.Equal(trained.HeldOut[0], result.HeldOut[0]);
        var (model, report) = ModelLoader.Load<MaskedLmModel>(Path.Combine(dir, "init"), new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        var fresh = (MaskedLmModel)EncoderFactory.CreateFresh(BertConfig.Load(ConfigPath), HfTask.MaskedLM, Tiny.Seed);
        var start = fresh.NamedParameters().ToDictionary(p => p.Name, p => p.Value.Data.ToArray());
        foreach (var (name, value) in model.NamedParameters()) Assert.Equal(start[name], value.Data);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "init", "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "init-other", "model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir, "init", "model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "trained", "model.safetensors")));
    }

    [Fact]
    public void FreezeEncoder_TrainsTheHeadOnly_AndARunContinuingItsOutputStartsFromThatHead()
    {
        Run("init", Tiny with { Steps = 0 });
        var head = Run("head", Tiny with { FreezeEncoder = true, LearningRate = 1e-2 });
        Assert.True(head.HeldOut[^1].Loss < head.HeldOut[0].Loss - 0.1, $"held-out loss {head.HeldOut[0].Loss} → {head.HeldOut[^1].Loss}");
        var start = SafeTensors.Read(Path.Combine(dir, "init", "model.safetensors"));
        var afterHead = SafeTensors.Read(Path.Combine(dir, "head", "model.safetensors"));
        var headKeys = 0;
        foreach (var name in start.Names)
        {
            var isHead = name.StartsWith("cls.", StringComparison.Ordinal);
            headKeys += isHead ? 1 : 0;
            if (isHead) Assert.NotEqual(start.GetFloat(name).Data, afterHead.GetFloat(name).Data);
            else Assert.Equal(start.GetFloat(name).Data, afterHead.GetFloat(name).Data);
        }
        Assert.Equal(5, headKeys);

        using var scope = ComputeOptions.Use(ComputeOptions.Default with { Threads = 2 });
        var full = PretrainJob.Run(new PretrainRequest([Path.Combine(dir, "corpus.txt")], Path.Combine(dir, "full"), Tiny with { Steps = 2 })
            { ModelDir = Path.Combine(dir, "head") }, null, _ => { });
        Assert.Equal(head.HeldOut[^1].Loss, full.HeldOut[0].Loss, 9);
        var afterFull = SafeTensors.Read(Path.Combine(dir, "full", "model.safetensors"));
        Assert.NotEqual(afterHead.GetFloat("bert.embeddings.word_embeddings.weight").Data, afterFull.GetFloat("bert.embeddings.word_embeddings.weight").Data);
    }

    [Fact]
    public void Resume_OnAnotherCorpus_IsAnErrorNamingTheCheckpoint()
    {
        Run("out", Tiny with { StopAfterSteps = 2 });
        File.WriteAllLines(Path.Combine(dir, "other.txt"), Enumerable.Range(0, 40).SelectMany(i => new[] { $"another text {i} entirely.", "" }));
        var e = Assert.Throws<InvalidDataException>(() => Run("out", Tiny, "other.txt"));
        Assert.Contains("another corpus", e.Message);
        Assert.Contains(Path.Combine(dir, "out", "checkpoint"), e.Message);
    }

    [Fact]
    public void CreateModel_NeitherOrBothStarts_AndAVocabularyMismatch_AreClearErrors()
    {
        var request = new PretrainRequest([Path.Combine(dir, "corpus.txt")], Path.Combine(dir, "o"), Tiny);
        Assert.Contains("either", Assert.Throws<ArgumentException>(() => PretrainJob.CreateModel(request, _ => { })).Message);
        Assert.Contains("--tokenizer", Assert.Throws<ArgumentException>(() => PretrainJob.CreateModel(request with { Config = "mini" }, _ => { })).Message);
        BertConfig.Scratch(100, layers: 1, hidden: 8, heads: 1).Save(Path.Combine(dir, "small.json"));
        var e = Assert.Throws<InvalidDataException>(() =>
            PretrainJob.CreateModel(request with { Config = Path.Combine(dir, "small.json"), TokenizerDir = TokenizerDir }, _ => { }));
        Assert.Contains("vocab_size is 100", e.Message);
    }
}
