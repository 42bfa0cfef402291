using CogLtx.Data;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Tensors.Io;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training.Evaluation;

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
    public const string RecipeFile = "recipe.json";
    public const string VocabDir = "vocab";

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
        var dataset = LoadData(recipe);
        log?.Invoke($"data: {dataset.Name}, {dataset.Train.Count} training and {dataset.Test.Count} test examples ({dataset.Kind})");
        JointTrainer trainer;
        if (resumed)
        {
            trainer = JointTrainer.Resume(outDir, m => ConvertTrain(m, dataset, recipe), recipe.Training.StopAfterSteps);
        }
        else
        {
            var models = CreateModels(recipe, dataset, outDir);
            trainer = new JointTrainer(models, ConvertTrain(models, dataset, recipe), recipe.Training, outDir);
        }
        if (trainer.SkippedExamples > 0) log?.Invoke($"{trainer.SkippedExamples} training examples have no target (answer not found in the text) and are left out");
        var training = trainer.Train(progress, cancellationToken);
        EvaluationReport? evaluation = null;
        if (training.Completed && recipe.Evaluate && dataset.Test.Count > 0)
        {
            var models = trainer.Models;
            var test = new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(dataset.Test, new BlockIdCounter());
            evaluation = Evaluator.Evaluate(models, test, decoding: DecodingFor(dataset), cancellationToken: cancellationToken);
            AtomicFile.WriteAllText(Path.Combine(outDir, "evaluation.json"), System.Text.Json.JsonSerializer.Serialize(
                evaluation with { Examples = [] }, CogLtxManifest.Json));
        }
        return new RecipeResult(training, evaluation, resumed, outDir);
    }

    /// <summary>The recipe's dataset, subset to its train/test counts.</summary>
    public static Dataset LoadData(TrainRecipe recipe)
    {
        var data = recipe.Data.ToLowerInvariant() switch
        {
            "synthetic-qa" => SyntheticTasks.MultiHopQa(recipe.Synthetic),
            "synthetic-cls" => SyntheticTasks.KeySentenceClassification(recipe.Synthetic),
            "jsonl" => LongDocJsonl.ReadDataset(Path.GetFileNameWithoutExtension(recipe.TrainFile ?? throw new InvalidDataException("data \"jsonl\" needs train_file")),
                recipe.TrainFile, recipe.TestFile),
            _ => KnownDatasets.Load(recipe.Data, DataDirectory.Resolve(recipe.DataDir)),
        };
        return data with
        {
            Train = recipe.TrainCount is { } n ? [.. data.Train.Take(n)] : data.Train,
            Test = recipe.TestCount is { } m ? [.. data.Test.Take(m)] : data.Test,
        };
    }

    /// <summary>
    /// Span decoding for a dataset (spec §6): HotpotQA's short-answer penalties (−5 beyond 8 tokens, −20 beyond 20) when
    /// its documents come as sentences with supporting facts (HotpotQA, the synthetic multi-hop task), else NewsQA's.
    /// </summary>
    public static SpanDecodingOptions DecodingFor(Dataset dataset) =>
        dataset.Train.Concat(dataset.Test).Any(e => e.Sentences is { Count: > 0 }) ? SpanDecodingOptions.HotpotQa : SpanDecodingOptions.NewsQa;

    /// <summary>The task setup a dataset implies: span QA with the slots its answers need, else (multi-)label classification.</summary>
    public static TaskSetup SetupFor(Dataset dataset, TrainRecipe recipe)
    {
        var all = dataset.Train.Concat(dataset.Test).ToList();
        var slots = new List<string>();
        if (all.Any(e => e.Answer?.Kind is AnswerKind.Yes or AnswerKind.No)) slots.AddRange([TaskSetup.YesSlot, TaskSetup.NoSlot]);
        if (all.Any(e => e.Answer?.Kind is AnswerKind.NoAnswer)) slots.Add(TaskSetup.NoAnswerSlot);
        return new TaskSetup
        {
            Task = dataset.Kind,
            LabelNames = dataset.Kind == ReasonerTask.SpanQa ? [] : dataset.LabelNames,
            QuerySlots = dataset.Kind == ReasonerTask.SpanQa ? slots : [],
            SplitMode = recipe.SplitMode,
        }.Validate();
    }

    private static List<CogLtxExample> ConvertTrain(CogLtxModels models, Dataset dataset, TrainRecipe recipe) =>
        new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(dataset.Train, new BlockIdCounter(), new Rng(recipe.Training.Seed ^ 0x5EED));

    private static CogLtxModels CreateModels(TrainRecipe recipe, Dataset dataset, string outDir)
    {
        var setup = SetupFor(dataset, recipe);
        var m = recipe.Model;
        if (m.Pretrained is { } pretrained)
            return CogLtxModels.FromPretrained(pretrained, null, m.Tokenizer ?? pretrained, setup, recipe.Cogltx, recipe.Training.Seed);
        var tokenizerDir = m.Tokenizer ?? BuildVocabulary(dataset, m, Path.Combine(outDir, VocabDir), setup);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        var config = BertConfig.Scratch(tokenizer.VocabSize, m.Layers, m.Hidden, m.Heads, m.Intermediate, maxLength: recipe.Cogltx.Capacity) with
        {
            PadTokenId = tokenizer.Specials.Pad,
            HiddenDropoutProb = m.Dropout,
            AttentionProbsDropoutProb = m.Dropout,
        };
        return CogLtxModels.CreateFresh(config, tokenizerDir, setup, recipe.Cogltx, recipe.Training.Seed);
    }

    // A lower-cased WordPiece vocabulary from the training texts (plus the query slot words, so each is one token).
    private static string BuildVocabulary(Dataset dataset, ModelRecipe model, string dir, TaskSetup setup)
    {
        var texts = dataset.Train.SelectMany(e => new[] { e.Text, e.Question ?? "", e.Answer?.Text ?? "" })
            .Concat(dataset.LabelNames).Concat(setup.QuerySlots);
        var vocab = WordPieceVocabBuilder.Build(texts, new WordPieceVocabOptions { MaxSize = model.VocabSize });
        WordPieceVocabBuilder.Write(vocab, Path.Combine(dir, "vocab.txt"));
        AtomicFile.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"do_lower_case\": true, \"tokenizer_class\": \"BertTokenizer\"}\n");
        return dir;
    }
}
