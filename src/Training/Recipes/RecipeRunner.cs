using CogLtx.Data;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Tensors.Io;
using CogLtx.Text.Documents;
using CogLtx.Training.Evaluation;
using CogLtx.Training.Jobs;

namespace CogLtx.Training.Recipes;

/// <summary>What a recipe run did: training, and the test-set evaluation when requested.</summary>
public sealed record RecipeResult(TrainingResult Training, EvaluationReport? Evaluation, bool Resumed, string OutDir);

/// <summary>
/// Runs a <see cref="TrainRecipe"/> into an output folder: <c>recipe.json</c>, <c>vocab/</c> (a vocabulary built from
/// the training data, when no tokenizer is given), <c>checkpoint/</c> (the model directory and training state,
/// <see cref="CheckpointStore"/>) and <c>evaluation.json</c>. A folder that already holds a checkpoint is resumed with its
/// saved recipe.
/// </summary>
public static class RecipeRunner
{
    /// <summary>The recipe file written into the output folder.</summary>
    public const string RecipeFile = "recipe.json";
    /// <summary>Sub-folder of the vocabulary built for data without a tokenizer.</summary>
    public const string VocabDir = "vocab";

    /// <summary>Trains the models of <paramref name="recipe"/> into <paramref name="outDir"/>, resuming from a checkpoint found there, and evaluates them when the recipe asks.</summary>
    public static RecipeResult Run(TrainRecipe recipe, string outDir, IProgress<TrainingProgress>? progress = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        Directory.CreateDirectory(outDir);
        var recipePath = Path.Combine(outDir, RecipeFile);
        var resumed = CheckpointStore.Find(outDir) is not null;
        if (resumed)
        {
            var saved = TrainRecipe.Load(recipePath);
            log?.Invoke($"resuming from {CheckpointStore.Find(outDir)} with the saved recipe ({recipePath})");
            recipe = saved with { Training = saved.Training with { StopAfterSteps = recipe.Training.StopAfterSteps } };
        }
        else
        {
            AtomicFile.WriteAllText(recipePath, recipe.ToJson());
        }
        var job = Prepare(recipe, outDir, log);
        var dataset = job.Dataset;
        log?.Invoke($"data: {dataset.Name}, {dataset.Train.Count} training and {dataset.Test.Count} test examples ({dataset.Kind})");
        JointTrainer trainer;
        if (resumed)
        {
            trainer = JointTrainer.Resume(outDir, m => ConvertTrain(m, dataset, recipe), recipe.Training.StopAfterSteps);
        }
        else
        {
            var models = job.CreateModels(recipe.Training.Seed);
            trainer = new JointTrainer(models, ConvertTrain(models, dataset, recipe), recipe.Training, outDir);
        }
        if (trainer.SkippedExamples > 0) log?.Invoke($"{trainer.SkippedExamples} training examples have no target (answer not found in the text) and are left out");
        var training = trainer.Train(progress, cancellationToken);
        EvaluationReport? evaluation = null;
        if (training.Completed && recipe.Evaluate && dataset.Test.Count > 0)
        {
            var models = trainer.Models;
            var test = new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(dataset.Test, new BlockIdCounter());
            evaluation = Evaluator.Evaluate(models, test, cancellationToken: cancellationToken);
            AtomicFile.WriteAllText(Path.Combine(outDir, "evaluation.json"), System.Text.Json.JsonSerializer.Serialize(
                evaluation with { Examples = [] }, CogLtxManifest.Json));
        }
        return new RecipeResult(training, evaluation, resumed, outDir);
    }

    /// <summary>
    /// The recipe's job (<see cref="JobSetup"/>, the setup <c>cogltx experiment</c> uses too): its data, task setup,
    /// tokenizer (a vocabulary built into <c>{outDir}/vocab</c> when the recipe names none) and encoder.
    /// </summary>
    public static JobSetup Prepare(TrainRecipe recipe, string outDir, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return JobSetup.Prepare(recipe.ToDataSpec().Load(), recipe.Model, recipe.SplitMode, recipe.Cogltx, Path.Combine(outDir, VocabDir), recipe.SupportingFacts, log);
    }

    private static List<CogLtxExample> ConvertTrain(CogLtxModels models, Dataset dataset, TrainRecipe recipe) =>
        new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(dataset.Train, new BlockIdCounter(), new Rng(recipe.Training.Seed ^ 0x5EED));
}
