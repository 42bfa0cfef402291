using System.CommandLine;
using System.Globalization;
using CogLtx.Models.Pretrained;
using CogLtx.Nn;
using CogLtx.Training;
using CogLtx.Training.Recipes;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx train --out DIR [--config RECIPE.json] [options]</c>: joint training of judge and reasoner (spec §5) on a
/// dataset, checkpointing into DIR (atomic checkpoints; run the same command again to resume after an interruption,
/// with the recipe saved in DIR), then evaluation on the test split. Options override the recipe file's fields.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Recipe JSON (snake_case keys: data, model, cogltx, training, …); options below override it" };
        var output = new Option<string>("--out") { Description = "Output folder: checkpoint/, recipe.json, vocab/, evaluation.json", Required = true };
        var data = new Option<string>("--data") { Description = "synthetic-qa | synthetic-cls | hotpotqa | 20newsgroups | movie_reviews | hyperpartisan | bbc | jsonl" };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder of the real datasets (default: COGLTX_DATA, else ./data)" };
        var trainFile = new Option<string>("--train-file") { Description = "Training JSONL (with --data jsonl)" };
        var testFile = new Option<string>("--test-file") { Description = "Test JSONL (with --data jsonl)" };
        var trainCount = new Option<int?>("--train-count") { Description = "Use the first N training examples (synthetic: generate N)" };
        var testCount = new Option<int?>("--test-count") { Description = "Use the first N test examples (synthetic: generate N)" };
        var epochs = new Option<int?>("--epochs") { Description = "Outer epochs (judge epoch + reasoner epoch each)" };
        var batch = new Option<int?>("--batch-size") { Description = "Inputs per forward" };
        var accumulate = new Option<int?>("--accumulate") { Description = "Micro-batches per optimizer step" };
        var lrJudge = new Option<double?>("--lr-judge") { Description = "Judge peak learning rate (paper 4e-5)" };
        var lrReasoner = new Option<double?>("--lr-reasoner") { Description = "Reasoner peak learning rate (paper 1e-4)" };
        var latent = new Option<bool>("--latent") { Description = "No relevance labels: relabel by interventions (spec §5.4)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of sampling, dropout and initialisation" };
        var pretrained = new Option<string>("--pretrained") { Description = "Hugging Face checkpoint folder, pretrained name (minilm, arctic-xs) or model id in the local Hugging Face cache (org/name) to start both encoders from" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Tokenizer folder (default: built from the training data)" };
        var layers = new Option<int?>("--layers") { Description = "Fresh encoder: layers" };
        var hidden = new Option<int?>("--hidden") { Description = "Fresh encoder: hidden size" };
        var heads = new Option<int?>("--heads") { Description = "Fresh encoder: attention heads" };
        var capacity = new Option<int?>("--capacity") { Description = "Working memory in tokens (512)" };
        var stopAfter = new Option<int?>("--stop-after-steps") { Description = "Stop (with a checkpoint) after this many optimizer steps in total" };
        var noEval = new Option<bool>("--no-eval") { Description = "Skip the test-set evaluation" };
        var command = new Command("train", "Train CogLTX's judge and reasoner jointly (resumable), then evaluate on the test split");
        foreach (var o in new Option[] { config, output, data, dataDir, trainFile, testFile, trainCount, testCount, epochs, batch, accumulate, lrJudge, lrReasoner,
                     latent, seed, pretrained, tokenizer, layers, hidden, heads, capacity, stopAfter, noEval })
            command.Options.Add(o);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            try
            {
                var recipe = parseResult.GetValue(config) is { } path ? TrainRecipe.Load(path) : new TrainRecipe();
                var dataName = parseResult.GetValue(data) ?? recipe.Data;
                var isSynthetic = dataName.StartsWith("synthetic", StringComparison.OrdinalIgnoreCase);
                var synthetic = recipe.Synthetic with
                {
                    TrainCount = parseResult.GetValue(trainCount) ?? recipe.Synthetic.TrainCount,
                    TestCount = parseResult.GetValue(testCount) ?? recipe.Synthetic.TestCount,
                };
                var training = recipe.Training with
                {
                    Epochs = parseResult.GetValue(epochs) ?? recipe.Training.Epochs,
                    BatchSize = parseResult.GetValue(batch) ?? recipe.Training.BatchSize,
                    AccumulationSteps = parseResult.GetValue(accumulate) ?? recipe.Training.AccumulationSteps,
                    JudgeLearningRate = parseResult.GetValue(lrJudge) ?? recipe.Training.JudgeLearningRate,
                    ReasonerLearningRate = parseResult.GetValue(lrReasoner) ?? recipe.Training.ReasonerLearningRate,
                    Relevance = parseResult.GetValue(latent) ? RelevanceSource.Latent : recipe.Training.Relevance,
                    Seed = parseResult.GetValue(seed) ?? recipe.Training.Seed,
                    StopAfterSteps = parseResult.GetValue(stopAfter) ?? recipe.Training.StopAfterSteps,
                };
                recipe = recipe with
                {
                    Data = dataName,
                    DataDir = parseResult.GetValue(dataDir) ?? recipe.DataDir,
                    TrainFile = parseResult.GetValue(trainFile) ?? recipe.TrainFile,
                    TestFile = parseResult.GetValue(testFile) ?? recipe.TestFile,
                    TrainCount = isSynthetic ? recipe.TrainCount : parseResult.GetValue(trainCount) ?? recipe.TrainCount,
                    TestCount = isSynthetic ? recipe.TestCount : parseResult.GetValue(testCount) ?? recipe.TestCount,
                    Synthetic = synthetic,
                    Model = recipe.Model with
                    {
                        Pretrained = (parseResult.GetValue(pretrained) ?? recipe.Model.Pretrained) is { } p
                            ? PretrainedModels.Resolve(p, progress: Console.Error.WriteLine) : null,
                        Tokenizer = parseResult.GetValue(tokenizer) ?? recipe.Model.Tokenizer,
                        Layers = parseResult.GetValue(layers) ?? recipe.Model.Layers,
                        Hidden = parseResult.GetValue(hidden) ?? recipe.Model.Hidden,
                        Heads = parseResult.GetValue(heads) ?? recipe.Model.Heads,
                        Intermediate = parseResult.GetValue(hidden) is { } h ? 4 * h : recipe.Model.Intermediate,
                    },
                    Cogltx = recipe.Cogltx with { Capacity = parseResult.GetValue(capacity) ?? recipe.Cogltx.Capacity },
                    Training = training.Validate(),
                    Evaluate = !parseResult.GetValue(noEval) && recipe.Evaluate,
                };
                return Run(recipe, parseResult.GetValue(output)!, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("train: interrupted; run the same command again to resume from the last checkpoint");
                return 130;
            }
            catch (TrainingDivergedException e)
            {
                Console.Error.WriteLine($"train: {e.Message}");
                return 3;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or KeyNotFoundException or UnauthorizedAccessException
                                          or NotSupportedException or Data.DataFormatException)
            {
                Console.Error.WriteLine($"train: {e.Message}");
                return 1;
            }
        }, CancellationToken.None));
        return command;
    }

    private static int Run(TrainRecipe recipe, string outDir, CancellationToken cancellationToken)
    {
        RecipeResult result;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("training", maxValue: 1000);
                    return RecipeRunner.Run(recipe, outDir, new Sink(p =>
                    {
                        task.Value = Math.Round(1000 * Fraction(p));
                        task.Description = Markup.Escape(Describe(p));
                    }), CliConsole.Log, cancellationToken);
                });
        }
        else
        {
            var last = -1;
            result = RecipeRunner.Run(recipe, outDir, new Sink(p =>
            {
                var percent = (int)(100 * Fraction(p));
                if (percent == last && p.Step != p.StepsInPhase) return;
                last = percent;
                CliConsole.Log($"[{DateTime.Now:HH:mm:ss}] {percent,3}% {Describe(p)}");
            }), CliConsole.Log, cancellationToken);
        }
        Print(result);
        return 0;
    }

    private static double Fraction(TrainingProgress p) =>
        Math.Min(1, (2.0 * p.Epoch + (p.Phase == TrainingPhase.Judge ? 0 : 1) + (double)p.Step / Math.Max(1, p.StepsInPhase)) / (2.0 * p.Epochs));

    private static string Describe(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {p.Epoch + 1}/{p.Epochs} {p.Phase.ToString().ToLowerInvariant()} step {p.Step}/{p.StepsInPhase} loss {p.Loss:0.0000} lr {p.LearningRate:0.###e0}");

    private static void Print(RecipeResult result)
    {
        var table = new Table().AddColumns("epoch", "judge loss", "reasoner loss", "steps", "relabel logged", "relabelled");
        foreach (var e in result.Training.History)
            table.AddRow(Num(e.Epoch + 1), $"{e.JudgeLoss:0.0000}", $"{e.ReasonerLoss:0.0000}", Num(e.JudgeSteps + e.ReasonerSteps), Num(e.LoggedChanges), Num(e.RelabelledBlocks));
        AnsiConsole.Write(table);
        if (!result.Training.Completed)
            Console.WriteLine($"stopped after {result.Training.TotalSteps} optimizer steps; checkpoint {result.Training.CheckpointDir}; run again to continue");
        if (result.Evaluation is { } ev)
        {
            var parts = new List<string> { $"{ev.Count} test examples" };
            if (ev.Answer is { } a) parts.Add(string.Create(CultureInfo.InvariantCulture, $"answer EM {a.ExactMatch:P1} F1 {a.F1:P1}"));
            if (ev.SupportingFacts is { } sp) parts.Add(string.Create(CultureInfo.InvariantCulture, $"sp EM {sp.ExactMatch:P1} F1 {sp.F1:P1}"));
            if (ev.Joint is { } j) parts.Add(string.Create(CultureInfo.InvariantCulture, $"joint EM {j.ExactMatch:P1} F1 {j.F1:P1}"));
            if (ev.Classification is { } c) parts.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy {c.Accuracy:P1} micro-F1 {c.MicroF1:P1} macro-F1 {c.MacroF1:P1}"));
            if (!double.IsNaN(ev.RelevantRecall)) parts.Add(string.Create(CultureInfo.InvariantCulture, $"MemRecall recall of relevant blocks {ev.RelevantRecall:P1} (all found in {ev.AllRelevantFound:P0})"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{ev.MeanSelectedTokens:0} tokens read per document, {ev.Elapsed.TotalSeconds:0.0} s"));
            Console.WriteLine("evaluation: " + string.Join("; ", parts));
        }
        Console.WriteLine($"model: {Path.GetFullPath(result.OutDir)} (load with `cogltx predict --model {result.OutDir}`)");
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A synchronous progress sink (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Sink(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
