using CogLtx.Baselines;
using CogLtx.Data;
using CogLtx.Experiments.Config;
using CogLtx.Models;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Tensors.Io;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training;
using DataLoadOptions = CogLtx.Data.LoadOptions;

namespace CogLtx.Experiments.Runner;

/// <summary>One test or training example in every form the methods need: the source, its tokens and the baselines' ids.</summary>
/// <param name="Tokens">The document's tokens (offsets into <see cref="LongDocExample.Text"/>).</param>
public sealed record PreparedExample(LongDocExample Source, BaselineExample Input, IReadOnlyList<Token> Tokens)
{
    /// <summary>Document length in tokens (the x axis of score-against-length plots).</summary>
    public int DocumentTokens => Tokens.Count;
}

/// <summary>
/// Everything an experiment's methods share: the (subset of the) data set, the vocabulary (the pretrained encoder's,
/// or a WordPiece vocabulary built from the training texts and written as a tokenizer folder, so CogLTX checkpoints
/// carry it), the task setup, the encoder every method starts from, and the examples converted for the baselines.
/// </summary>
public sealed class ExperimentData
{
    public const string TokenizerFolder = "tokenizer";

    private ExperimentData(Dataset dataset, string tokenizerDir, ITokenizer tokenizer, TaskSetup setup, CogLtxOptions options, BertConfig model,
        string? pretrainedDir, IReadOnlyList<PreparedExample> train, IReadOnlyList<PreparedExample> test)
    {
        Dataset = dataset;
        PretrainedDir = pretrainedDir;
        TokenizerDir = tokenizerDir;
        Tokenizer = tokenizer;
        Setup = setup;
        CogLtxOptions = options;
        ModelConfig = model;
        Train = train;
        Test = test;
    }

    /// <summary>The data set with the configured subsets applied.</summary>
    public Dataset Dataset { get; }

    public string TokenizerDir { get; }

    public ITokenizer Tokenizer { get; }

    public TaskSetup Setup { get; }

    public CogLtxOptions CogLtxOptions { get; }

    /// <summary>The encoder every method starts from (fresh or pretrained, the same seed for CogLTX's reasoner and the baselines).</summary>
    public BertConfig ModelConfig { get; }

    /// <summary>The pretrained encoder's Hugging Face folder; null when every method trains from scratch.</summary>
    public string? PretrainedDir { get; }

    public IReadOnlyList<PreparedExample> Train { get; }

    public IReadOnlyList<PreparedExample> Test { get; }

    public bool IsSpanQa => Setup.Task == ReasonerTask.SpanQa;

    /// <summary>Loads or generates the data, builds the vocabulary into <c>{outDir}/tokenizer</c> and converts the examples.</summary>
    /// <param name="dataDirOption">The command's --data-dir (the config's <c>dataset.data_dir</c> wins when set).</param>
    public static ExperimentData Prepare(ExperimentConfig config, string outDir, string? dataDirOption)
    {
        var dataset = Subset(Load(config.Dataset, dataDirOption), config.Dataset);
        if (dataset.Train.Count == 0 || dataset.Test.Count == 0)
            throw new ExperimentConfigException($"dataset.name: {dataset.Name} has {dataset.Train.Count} training and {dataset.Test.Count} test examples; both must be non-empty");
        var spanQa = dataset.Kind == ReasonerTask.SpanQa;
        if (dataset.Kind == ReasonerTask.MultiLabel) throw new ExperimentConfigException($"dataset.name: {dataset.Name} is multi-label; experiments compare single-label and span-QA tasks");
        var setup = new TaskSetup
        {
            Task = spanQa ? ReasonerTask.SpanQa : ReasonerTask.Classification,
            LabelNames = spanQa ? [] : dataset.LabelNames,
            QuerySlots = spanQa && dataset.Train.Concat(dataset.Test).Any(e => e.Answer?.Kind is AnswerKind.Yes or AnswerKind.No)
                ? [TaskSetup.YesSlot, TaskSetup.NoSlot]
                : [],
            SplitMode = config.Cogltx.SplitMode,
        }.Validate();
        var options = CogLtxOptions.Default with { RecallSteps = config.Cogltx.RecallSteps };
        var pretrainedDir = config.Encoder.Pretrained is { } spec ? PretrainedEncoder.Resolve(spec) : null;
        var tokenizerDir = pretrainedDir ?? Path.Combine(outDir, TokenizerFolder);
        if (pretrainedDir is null) WriteTokenizer(dataset, config.Vocab, setup.QuerySlots, tokenizerDir);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        if (pretrainedDir is not null) PretrainedEncoder.CheckSlotWords(tokenizer, setup.QuerySlots, tokenizerDir);
        var model = pretrainedDir is not null
            ? ModelLoader.ReadConfig(pretrainedDir)
            : BertConfig.Scratch(tokenizer.VocabSize, config.Model.Layers, config.Model.Hidden, config.Model.Heads, config.Model.Intermediate, maxLength: 512) with
            {
                HiddenDropoutProb = config.Model.Dropout,
                AttentionProbsDropoutProb = config.Model.Dropout,
            };
        return new ExperimentData(dataset, tokenizerDir, tokenizer, setup, options, model, pretrainedDir,
            [.. dataset.Train.Select(e => Convert(e, tokenizer, dataset, setup))],
            [.. dataset.Test.Select(e => Convert(e, tokenizer, dataset, setup))]);
    }

    /// <summary>
    /// Judge and reasoner as every method starts them: from the pretrained encoder (fresh heads) or from scratch, both
    /// initialised from <paramref name="seed"/>, so CogLTX's reasoner and each baseline start from identical weights.
    /// </summary>
    public CogLtxModels CreateModels(ulong seed) => PretrainedDir is { } dir
        ? CogLtxModels.FromPretrained(dir, null, dir, Setup, CogLtxOptions, seed)
        : CogLtxModels.CreateFresh(ModelConfig, TokenizerDir, Setup, CogLtxOptions, seed);

    /// <summary>
    /// An example as the baselines read it: document token ids; for QA the query ids of the slot words and the question
    /// (as CogLTX's query block, spec §2) and the answer's token range (the occurrence inside a relevant span if any,
    /// as <see cref="ExampleConverter"/> picks it) or its slot; for classification the label id.
    /// </summary>
    public static PreparedExample Convert(LongDocExample example, ITokenizer tokenizer, Dataset dataset, TaskSetup setup)
    {
        var tokens = tokenizer.Tokenize(example.Text);
        var document = tokens.Select(t => t.Id).ToArray();
        if (setup.Task != ReasonerTask.SpanQa)
        {
            var input = new BaselineExample(example.Id, [], document) { Label = example.Labels.Count == 1 ? dataset.LabelId(example.Labels[0]) : null };
            return new PreparedExample(example, input, tokens);
        }
        var prefix = string.Concat(setup.QuerySlots.Select(s => s + " "));
        var query = tokenizer.Tokenize(prefix + (example.Question ?? "")).Select(t => t.Id).ToArray();
        var slots = setup.QuerySlots.Select((s, i) => (s, i)).ToDictionary(p => p.i, p => p.s switch
        {
            TaskSetup.YesSlot => AnswerKind.Yes,
            TaskSetup.NoSlot => AnswerKind.No,
            _ => AnswerKind.NoAnswer,
        });
        AnswerTarget? answer = null;
        int SlotOf(string word) => setup.QuerySlots.ToList().IndexOf(word);
        switch (example.Answer)
        {
            case { IsLocated: true } located:
                var occurrence = located.Spans.FirstOrDefault(s => example.RelevantSpans.Any(r => r.Overlaps(s)), located.Spans[0]);
                if (occurrence.ToTokenRange(tokens) is { } range) answer = new AnswerTarget(range.First, range.Last);
                break;
            case { Kind: AnswerKind.Yes } when SlotOf(TaskSetup.YesSlot) >= 0:
                answer = AnswerTarget.Slot(SlotOf(TaskSetup.YesSlot));
                break;
            case { Kind: AnswerKind.No } when SlotOf(TaskSetup.NoSlot) >= 0:
                answer = AnswerTarget.Slot(SlotOf(TaskSetup.NoSlot));
                break;
            case { Kind: AnswerKind.NoAnswer } when SlotOf(TaskSetup.NoAnswerSlot) >= 0:
                answer = AnswerTarget.Slot(SlotOf(TaskSetup.NoAnswerSlot));
                break;
        }
        return new PreparedExample(example, new BaselineExample(example.Id, query, document) { Answer = answer, QuerySlots = slots }, tokens);
    }

    private static Dataset Load(DatasetConfig config, string? dataDirOption)
    {
        if (config.IsSynthetic)
        {
            var s = config.Synthetic;
            var options = new SyntheticOptions
            {
                Seed = s.Seed,
                TrainCount = s.TrainCount,
                TestCount = s.TestCount,
                MinTokens = s.MinTokens,
                MaxTokens = s.MaxTokens,
                LateEvidenceFraction = s.LateEvidenceFraction,
                EvidenceSentences = s.EvidenceSentences,
                ClassCount = s.Classes,
            };
            return config.Name == DatasetConfig.SyntheticQa ? SyntheticTasks.MultiHopQa(options) : SyntheticTasks.KeySentenceClassification(options);
        }
        var dataDir = DataDirectory.Resolve(config.DataDir ?? dataDirOption);
        try
        {
            return KnownDatasets.Load(config.Name, dataDir, new DataLoadOptions { CleanNewsgroups = config.CleanNewsgroups });
        }
        catch (FileNotFoundException e)
        {
            throw new ExperimentConfigException($"dataset.name: {e.Message} (data directory {dataDir}: set dataset.data_dir, --data-dir or {DataDirectory.EnvironmentVariable})", e);
        }
    }

    /// <summary>Seeded random subsets of train and test, each kept in the data set's order.</summary>
    private static Dataset Subset(Dataset dataset, DatasetConfig config)
    {
        var rng = new Rng(config.SubsetSeed);
        IReadOnlyList<LongDocExample> Take(IReadOnlyList<LongDocExample> examples, int? limit)
        {
            if (limit is not { } n || n >= examples.Count) return examples;
            var indices = Enumerable.Range(0, examples.Count).ToList();
            rng.Shuffle(indices);
            return [.. indices.Take(n).Order().Select(i => examples[i])];
        }
        return dataset with { Train = Take(dataset.Train, config.TrainLimit), Test = Take(dataset.Test, config.TestLimit) };
    }

    /// <summary>
    /// vocab.txt from the training texts and a tokenizer_config.json asking for lower-casing (an uncased vocabulary).
    /// The query-slot words must be single tokens (spec §2: "yes" and "no" sit at fixed query positions); a slot word
    /// the frequency cut dropped replaces the least frequent word.
    /// </summary>
    private static void WriteTokenizer(Dataset dataset, VocabConfig config, IReadOnlyList<string> slotWords, string dir)
    {
        var built = WordPieceVocabBuilder.Build(dataset, new WordPieceVocabOptions { MaxSize = config.MaxSize, MinFrequency = config.MinFrequency, Lowercase = true });
        var missing = slotWords.Where(w => !built.Contains(w)).ToList();
        var vocab = missing.Count == 0 ? built : [.. built.Take(Math.Min(built.Count, config.MaxSize - missing.Count)), .. missing];
        Directory.CreateDirectory(dir);
        WordPieceVocabBuilder.Write(vocab, Path.Combine(dir, "vocab.txt"));
        AtomicFile.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\n  \"do_lower_case\": true,\n  \"tokenizer_class\": \"BertTokenizer\"\n}\n");
    }
}
