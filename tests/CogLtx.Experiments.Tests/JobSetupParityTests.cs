using CogLtx.Data;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Splitter;
using CogLtx.Training;
using CogLtx.Training.Inference;
using CogLtx.Training.Jobs;
using CogLtx.Training.Recipes;

namespace CogLtx.Experiments.Tests;

/// <summary>
/// <c>cogltx train</c> (a recipe, <see cref="RecipeRunner.Prepare"/>) and <c>cogltx experiment</c> (a config,
/// <see cref="ExperimentData.Prepare"/>) set a job up through one path (<see cref="JobSetup"/>), so the same data set
/// gives the same task setup (slots, split mode, span decoding, supporting-fact rule), vocabulary and encoder under
/// both. Before, synthetic-qa was decoded with HotpotQA's penalties under train and NewsQA's under experiment, and
/// supporting facts were chosen by the top-2 rule under train and the heuristic under experiment.
/// </summary>
public sealed class JobSetupParityTests
{
    [Fact]
    public void SyntheticQa_TrainAndExperiment_SetUpTheSameTask_HotpotQaDecoding_TopFineSupportingFacts()
    {
        using var dir = new TempDir();
        var recipe = new TrainRecipe
        {
            Data = "synthetic-qa",
            Synthetic = new SyntheticOptions { Seed = 5, TrainCount = 4, TestCount = 2, MinTokens = 620, MaxTokens = 700 },
        };
        var config = Config("""{ "name": "synthetic-qa", "synthetic": { "seed": 5, "train_count": 4, "test_count": 2, "min_tokens": 620, "max_tokens": 700 } }""");

        var (train, experiment) = BothJobs(recipe, config, dir.Path);

        AssertSameJob(train, experiment);
        Assert.Same(SpanDecodingOptions.HotpotQa, experiment.Setup.Decoding);
        Assert.Equal(SupportingFactMode.TopFine, experiment.Setup.SupportingFacts);
        Assert.Equal(SplitMode.Sentence, experiment.Setup.SplitMode);
    }

    [Fact]
    public void HotpotQa_TrainAndExperiment_SetUpTheSameTask_YesNoSlots_HeuristicSupportingFacts()
    {
        using var dir = new TempDir();
        var dataDir = Path.Combine(dir.Path, "data");
        var folder = Path.Combine(dataDir, "hotpotqa");
        Directory.CreateDirectory(folder);
        var samples = Path.Combine(TestPaths.RepoRoot, "tests", "CogLtx.Data.Tests", "Samples");
        File.Copy(Path.Combine(samples, "hotpot-sample.jsonl"), Path.Combine(folder, "hotpot_train_100.json"));
        File.Copy(Path.Combine(samples, "hotpot-sample.jsonl"), Path.Combine(folder, "hotpot_dev_distractor_500.jsonl"));
        var recipe = new TrainRecipe { Data = "hotpotqa", DataDir = dataDir };
        var config = Config($$"""{ "name": "hotpotqa", "data_dir": {{System.Text.Json.JsonSerializer.Serialize(dataDir)}} }""");

        var (train, experiment) = BothJobs(recipe, config, dir.Path);

        AssertSameJob(train, experiment);
        Assert.Equal([TaskSetup.YesSlot, TaskSetup.NoSlot], experiment.Setup.QuerySlots);
        Assert.Same(SpanDecodingOptions.HotpotQa, experiment.Setup.Decoding);
        Assert.Equal(SupportingFactMode.Heuristic, experiment.Setup.SupportingFacts);
    }

    [Fact]
    public void SupportingFactsOverride_IsHonouredTheSameWayByBoth()
    {
        using var dir = new TempDir();
        var recipe = new TrainRecipe
        {
            Data = "synthetic-qa",
            Synthetic = new SyntheticOptions { Seed = 5, TrainCount = 2, TestCount = 1, MinTokens = 620, MaxTokens = 700 },
            SupportingFacts = SupportingFactMode.Heuristic,
        };
        var config = Config("""{ "name": "synthetic-qa", "synthetic": { "seed": 5, "train_count": 2, "test_count": 1, "min_tokens": 620, "max_tokens": 700 } }""",
            """{ "supporting_facts": "heuristic" }""");

        var (train, experiment) = BothJobs(recipe, config, dir.Path);

        Assert.Equal(SupportingFactMode.Heuristic, train.Setup.SupportingFacts);
        Assert.Equal(SupportingFactMode.Heuristic, experiment.Setup.SupportingFacts);
    }

    private static ExperimentConfig Config(string dataset, string cogltx = "{}") => ExperimentConfig.Parse($$"""
        { "name": "parity", "dataset": {{dataset}}, "cogltx": {{cogltx}}, "methods": ["cogltx"] }
        """);

    private static (JobSetup Train, JobSetup Experiment) BothJobs(TrainRecipe recipe, ExperimentConfig config, string root) =>
        (RecipeRunner.Prepare(recipe, Path.Combine(root, "train")), ExperimentData.Prepare(config, Path.Combine(root, "experiment"), null).Job);

    private static void AssertSameJob(JobSetup train, JobSetup experiment)
    {
        Assert.Equal(train.Dataset.Train.Select(e => e.Id), experiment.Dataset.Train.Select(e => e.Id));
        Assert.Equal(train.Setup.Task, experiment.Setup.Task);
        Assert.Equal(train.Setup.LabelNames, experiment.Setup.LabelNames);
        Assert.Equal(train.Setup.QuerySlots, experiment.Setup.QuerySlots);
        Assert.Equal(train.Setup.SplitMode, experiment.Setup.SplitMode);
        Assert.Same(train.Setup.Decoding, experiment.Setup.Decoding);
        Assert.Equal(train.Setup.SupportingFacts, experiment.Setup.SupportingFacts);
        Assert.Equal(File.ReadAllText(Path.Combine(train.TokenizerDir, "vocab.txt")), File.ReadAllText(Path.Combine(experiment.TokenizerDir, "vocab.txt")));
        Assert.Equal(train.ModelConfig, experiment.ModelConfig);
        foreach (var job in new[] { train, experiment })
        {
            using var tokenizerConfig = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(job.TokenizerDir, "tokenizer_config.json")));
            Assert.Equal(512, tokenizerConfig.RootElement.GetProperty("model_max_length").GetInt32());
            Assert.True(tokenizerConfig.RootElement.GetProperty("do_lower_case").GetBoolean());
        }
    }
}
