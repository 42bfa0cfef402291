using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;

namespace CogLtx.Experiments.Tests;

public sealed class ExperimentConfigTests
{
    private const string Valid = """
        {
          "name": "t",
          "dataset": { "name": "synthetic-cls" },
          "training": { "epochs": 2 },
          "methods": ["cogltx", "head"]
        }
        """;

    private static ExperimentConfigException Error(string json) =>
        Assert.Throws<ExperimentConfigException>(() => ExperimentConfig.Parse(json, "my.json"));

    [Fact]
    public void Parse_Valid_ReadsSnakeCaseFieldsAndDefaults()
    {
        var config = ExperimentConfig.Parse(Valid);
        Assert.Equal(2, config.Training.Epochs);
        Assert.Equal(512, config.Baselines.MaxLength);
        Assert.Equal(["cogltx", "head"], config.Methods);
    }

    [Fact]
    public void Parse_OutOfRangeValue_NamesFileAndField()
    {
        var e = Error(Valid.Replace("\"epochs\": 2", "\"epochs\": 0"));
        Assert.StartsWith("my.json: training.epochs:", e.Message);
        Assert.Contains("got 0", e.Message);
    }

    [Fact]
    public void CheckpointEverySteps_BelowOne_NamesTheField()
    {
        var e = Error(Valid.Replace("\"epochs\": 2", "\"epochs\": 2, \"checkpoint_every_steps\": 0"));
        Assert.StartsWith("my.json: training.checkpoint_every_steps:", e.Message);
        Assert.Contains("got 0", e.Message);
    }

    [Fact]
    public void CheckpointEverySteps_LeavesTheFingerprint_AndTheWrittenConfigWithoutIt_Unchanged()
    {
        var plain = ExperimentConfig.Parse(Valid);
        var every8 = ExperimentConfig.Parse(Valid.Replace("\"epochs\": 2", "\"epochs\": 2, \"checkpoint_every_steps\": 8"));
        Assert.Equal(8, every8.Training.CheckpointEverySteps);
        Assert.Equal(ExperimentRunner.Fingerprint(plain), ExperimentRunner.Fingerprint(every8));
        Assert.NotEqual(ExperimentRunner.Fingerprint(plain), ExperimentRunner.Fingerprint(plain with { Training = plain.Training with { Epochs = 3 } }));
        Assert.DoesNotContain("checkpoint_every_steps", plain.ToJson());
    }

    [Fact]
    public void Parse_UnknownField_NamesIt()
    {
        var e = Error(Valid.Replace("\"epochs\": 2", "\"epochz\": 2"));
        Assert.Contains("epochz", e.Message);
        Assert.StartsWith("my.json:", e.Message);
    }

    [Fact]
    public void Parse_WrongType_NamesTheField()
    {
        var e = Error(Valid.Replace("\"epochs\": 2", "\"epochs\": \"two\""));
        Assert.Contains("training.epochs", e.Message);
    }

    [Fact]
    public void Parse_UnknownMethod_NamesItsIndexAndTheKnownOnes()
    {
        var e = Error(Valid.Replace("\"head\"]", "\"bogus\"]"));
        Assert.Contains("methods[1]", e.Message);
        Assert.Contains("bogus", e.Message);
        Assert.Contains("sliding-max", e.Message);
    }

    [Fact]
    public void Parse_PoolingMethodOnQa_IsRejected()
    {
        var e = Error(Valid.Replace("synthetic-cls", "synthetic-qa").Replace("\"head\"]", "\"sliding-mean\"]"));
        Assert.Contains("methods[1]", e.Message);
        Assert.Contains("sliding-window", e.Message);
    }

    [Fact]
    public void Parse_UnknownDataset_NamesTheField()
    {
        var e = Error(Valid.Replace("synthetic-cls", "imdb"));
        Assert.Contains("dataset.name", e.Message);
        Assert.Contains("20news", e.Message);
    }

    [Fact]
    public void Parse_OddLongformerWindow_NamesTheField()
    {
        var e = Error(Valid.Replace("\"methods\"", "\"baselines\": { \"longformer_attention_window\": 7 }, \"methods\""));
        Assert.Contains("baselines.longformer_attention_window", e.Message);
    }

    [Fact]
    public void Parse_NoMethods_IsRejected()
    {
        var e = Error(Valid.Replace("[\"cogltx\", \"head\"]", "[]"));
        Assert.Contains("methods", e.Message);
    }

    [Fact]
    public void Parse_BrokenJson_SaysWhere()
    {
        var e = Error("{ \"name\": ");
        Assert.StartsWith("my.json:", e.Message);
    }

    [Fact]
    public void Effective_Quick_ShrinksDataModelAndEpochs()
    {
        var quick = ExperimentConfig.Parse(Valid).Effective(forceQuick: true);
        Assert.True(quick.Quick);
        Assert.Equal(1, quick.Training.Epochs);
        Assert.Equal(16, quick.Dataset.Synthetic.TrainCount);
        Assert.Equal(32, quick.Model.Hidden);
        Assert.Equal(900, quick.Dataset.Synthetic.MaxTokens);
    }

    [Fact]
    public void CommittedConfigs_AllParseAndValidate()
    {
        var configs = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "experiments"), "config.json", SearchOption.AllDirectories);
        Assert.NotEmpty(configs);
        foreach (var path in configs)
        {
            var config = ExperimentConfig.Load(path);
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(path)), config.Name);
        }
    }
}
