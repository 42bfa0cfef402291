using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;
using CogLtx.Models;
using CogLtx.Text.Tokenization;

namespace CogLtx.Experiments.Tests;

/// <summary>
/// <c>encoder.pretrained</c>: every method starts from the checkpoint's weights and reads its vocabulary. The
/// "pretrained" checkpoint here is a small random BERT over the real bert-base-uncased vocabulary, saved in the
/// Hugging Face layout (config.json, model.safetensors, vocab.txt, tokenizer_config.json).
/// </summary>
public sealed class PretrainedEncoderTests
{
    private static string WritePretrained(string dir)
    {
        var config = BertConfig.Scratch(30522, layers: 1, hidden: 16, heads: 2, intermediate: 32, maxLength: 512);
        ModelLoader.Save(BertModel.Create(config, seed: 11), dir);
        var vocab = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "tokenizers", "bert-base-uncased");
        File.Copy(Path.Combine(vocab, "vocab.txt"), Path.Combine(dir, "vocab.txt"));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{ "do_lower_case": true, "tokenizer_class": "BertTokenizer" }""");
        return dir;
    }

    private static ExperimentConfig Config(string dataset, string pretrained, params string[] methods) => ExperimentConfig.Parse($$"""
        {
          "name": "pretrained",
          "dataset": { "name": "{{dataset}}", "synthetic": { "classes": 2, "seed": 3 } },
          "encoder": { "pretrained": {{System.Text.Json.JsonSerializer.Serialize(pretrained)}} },
          "training": { "batch_size": 4 },
          "baselines": { "window_stride": 200 },
          "methods": [{{string.Join(", ", methods.Select(m => $"\"{m}\""))}}],
          "quick": true,
          "quick_settings": { "train_examples": 6, "test_examples": 4, "min_tokens": 620, "max_tokens": 680, "epochs": 1,
                              "longformer_max_length": 768, "longformer_attention_window": 64 }
        }
        """).Effective();

    [Fact]
    public void Prepare_TakesTheCheckpointsVocabulary_AndWritesNoneOfItsOwn()
    {
        using var model = new TempDir();
        using var run = new TempDir();
        var data = ExperimentData.Prepare(Config("synthetic-qa", WritePretrained(model.Path), "cogltx"), run.Path, null);

        Assert.Equal(30522, data.Job.Tokenizer.VocabSize);
        Assert.Equal(Path.GetFullPath(model.Path), data.Job.PretrainedDir);
        Assert.False(Directory.Exists(Path.Combine(run.Path, ExperimentData.TokenizerFolder)));
        Assert.Equal(16, data.Job.ModelConfig.HiddenSize);
        var bertBase = TokenizerLoader.Load(Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "tokenizers", "bert-base-uncased"));
        var example = data.Test[0];
        Assert.Equal(bertBase.Tokenize(example.Source.Text).Select(t => t.Id), example.Input.DocumentIds);
    }

    [Fact]
    public void CreateModels_StartsJudgeAndReasonerFromTheCheckpoint_WithHeadsFromTheSeed()
    {
        using var model = new TempDir();
        using var run = new TempDir();
        var dir = WritePretrained(model.Path);
        var data = ExperimentData.Prepare(Config("synthetic-cls", dir, "cogltx", "head"), run.Path, null);
        var saved = ModelLoader.ReadWeights(dir).Tensors;

        var a = data.Job.CreateModels(42);
        var b = data.Job.CreateModels(42);
        var reasoner = a.Reasoner.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        var judge = a.Judge.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        foreach (var name in new[] { "embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.output.LayerNorm.bias" })
        {
            Assert.Equal(saved[name].Data, reasoner["bert." + name].Data);
            Assert.Equal(saved[name].Data, judge["bert." + name].Data);
        }
        var heads = b.Reasoner.NamedParameters().Where(p => p.Name.StartsWith("classifier.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(heads);
        foreach (var (name, value) in heads) Assert.Equal(reasoner[name].Data, value.Data);
    }

    [Fact]
    public void Run_QuickWithPretrainedEncoder_EveryMethodRuns()
    {
        using var model = new TempDir();
        using var run = new TempDir();
        var results = new ExperimentRunner(Config("synthetic-cls", WritePretrained(model.Path), "cogltx", "head", "longformer"), run.Path,
            new RunnerOptions { Commit = "test" }).Run();
        Assert.Equal(["cogltx", "head", "longformer"], results.Methods.Select(m => m.Name));
        Assert.All(results.Methods, m => Assert.InRange(m.Metrics["accuracy"], 0, 1));
    }

    [Fact]
    public void Prepare_PretrainedThatIsNoCheckpoint_NamesTheSetting()
    {
        using var empty = new TempDir();
        using var run = new TempDir();
        var e = Assert.Throws<ExperimentConfigException>(() => ExperimentData.Prepare(Config("synthetic-cls", empty.Path, "head"), run.Path, null));
        Assert.Contains("encoder.pretrained", e.Message);
        Assert.Contains("config.json", e.Message);
        var missing = Assert.Throws<ExperimentConfigException>(() => ExperimentData.Prepare(Config("synthetic-cls", Path.Combine(empty.Path, "nope"), "head"), run.Path, null));
        Assert.Contains("encoder.pretrained", missing.Message);
        Assert.Contains("minilm", missing.Message);
    }
}
