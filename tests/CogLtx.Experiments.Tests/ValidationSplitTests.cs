using CogLtx.Data;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;

namespace CogLtx.Experiments.Tests;

public sealed class ValidationSplitTests
{
    private static readonly IReadOnlyList<LongDocExample> Train =
        [.. Enumerable.Range(0, 20).Select(i => new LongDocExample { Id = $"d{i}", Text = $"document {i}", Labels = ["a"] })];

    [Fact]
    public void Carve_HoldsOutTheCount_DisjointFromTraining_InOriginalOrder_SameForTheSameSeed()
    {
        var (train, validation) = ValidationSplit.Carve(Train, 5, seed: 1);
        Assert.Equal(5, validation.Count);
        Assert.Equal(15, train.Count);
        Assert.Empty(train.Select(e => e.Id).Intersect(validation.Select(e => e.Id)));
        Assert.Equal(Train.Select(e => e.Id).Order(), train.Concat(validation).Select(e => e.Id).Order());
        Assert.Equal(train.OrderBy(e => int.Parse(e.Id[1..])), train);
        Assert.Equal(validation.OrderBy(e => int.Parse(e.Id[1..])), validation);
        Assert.Equal(validation, ValidationSplit.Carve(Train, 5, seed: 1).Validation);
        Assert.NotEqual(validation, ValidationSplit.Carve(Train, 5, seed: 2).Validation);
        // not simply the first examples
        Assert.NotEqual(Train.Take(5), validation);
    }

    [Fact]
    public void Carve_Zero_KeepsEverything_AndAllOrMore_IsAnErrorNamingTheCounts()
    {
        var (train, validation) = ValidationSplit.Carve(Train, 0, seed: 1);
        Assert.Same(Train, train);
        Assert.Empty(validation);
        var e = Assert.Throws<ArgumentException>(() => ValidationSplit.Carve(Train, 20, seed: 1));
        Assert.Contains("20 validation examples", e.Message);
        Assert.Contains("20 training examples", e.Message);
    }

    [Fact]
    public void Config_BestValidationWithoutASplit_IsRefusedNamingTheField()
    {
        var e = Assert.Throws<ExperimentConfigException>(() => ExperimentConfig.Parse(
            """{ "name": "t", "training": { "select": "best_validation" }, "methods": ["head"] }""", "my.json"));
        Assert.Contains("my.json", e.Message);
        Assert.Contains("training.select", e.Message);
        var negative = Assert.Throws<ExperimentConfigException>(() => ExperimentConfig.Parse(
            """{ "name": "t", "dataset": { "validation_count": -1 }, "methods": ["head"] }"""));
        Assert.Contains("dataset.validation_count", negative.Message);
    }

    [Fact]
    public void Config_WithoutValidation_SerialisesAsBefore_SoEarlierRunFoldersStillResume()
    {
        var json = ExperimentConfig.Parse("""{ "name": "t", "methods": ["head"] }""").ToJson();
        Assert.DoesNotContain("validation_count", json);
        Assert.DoesNotContain("\"select\"", json);
        var with = ExperimentConfig.Parse("""{ "name": "t", "dataset": { "validation_count": 3 }, "training": { "select": "best_validation" }, "methods": ["head"] }""").ToJson();
        Assert.Contains("\"validation_count\": 3", with);
        Assert.Contains("\"select\": \"best_validation\"", with);
    }

    [Fact]
    public void Quick_KeepsTheValidationSplitSmall()
    {
        var config = ExperimentConfig.Parse("""{ "name": "t", "dataset": { "validation_count": 50 }, "methods": ["head"], "quick_settings": { "train_examples": 8 } }""");
        Assert.Equal(2, config.Effective(forceQuick: true).Dataset.ValidationCount);
    }
}
