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
using CogLtx.Training.Jobs;

namespace CogLtx.Experiments.Runner;

/// <summary>One test or training example in every form the methods need: the source, its tokens and the baselines' ids.</summary>
/// <param name="Tokens">The document's tokens (offsets into <see cref="LongDocExample.Text"/>).</param>
public sealed record PreparedExample(LongDocExample Source, BaselineExample Input, IReadOnlyList<Token> Tokens)
{
    /// <summary>Document length in tokens (the x axis of score-against-length plots).</summary>
    public int DocumentTokens => Tokens.Count;
}

/// <summary>
/// Everything an experiment's methods share: the job (<see cref="JobSetup"/>, the setup <c>cogltx train</c> uses
/// too: the data set with the configured subsets, the task setup, the vocabulary — the pretrained encoder's, or a
/// WordPiece vocabulary built from the training texts into <c>{outDir}/tokenizer</c>, so CogLTX checkpoints carry it —
/// and the encoder every method starts from), and the examples converted for the baselines.
/// </summary>
public sealed class ExperimentData
{
    public const string TokenizerFolder = "tokenizer";

    private ExperimentData(JobSetup job, IReadOnlyList<PreparedExample> train, IReadOnlyList<PreparedExample> validation, IReadOnlyList<PreparedExample> test)
    {
        Job = job;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>Data, task setup, tokenizer and starting encoder.</summary>
    public JobSetup Job { get; }

    public IReadOnlyList<PreparedExample> Train { get; }

    /// <summary>Held out from the training examples (<c>dataset.validation_count</c>); empty when there is none.</summary>
    public IReadOnlyList<PreparedExample> Validation { get; }

    public IReadOnlyList<PreparedExample> Test { get; }

    public bool IsSpanQa => Job.Setup.Task == ReasonerTask.SpanQa;

    /// <summary>The metric the intervals, the paired tests and the validation split's choice are made on.</summary>
    public string HeadlineMetric => IsSpanQa ? "f1" : "accuracy";

    /// <summary>Loads or generates the data, sets up the job (vocabulary into <c>{outDir}/tokenizer</c>) and converts the examples.</summary>
    /// <param name="dataDirOption">The command's --data-dir (the config's <c>dataset.data_dir</c> wins when set).</param>
    public static ExperimentData Prepare(ExperimentConfig config, string outDir, string? dataDirOption)
    {
        var dataset = Load(config.Dataset, dataDirOption);
        if (dataset.Train.Count == 0 || dataset.Test.Count == 0)
            throw new ExperimentConfigException($"dataset.name: {dataset.Name} has {dataset.Train.Count} training and {dataset.Test.Count} test examples; both must be non-empty");
        var (kept, heldOut) = Field("dataset.validation_count", () => ValidationSplit.Carve(dataset.Train, config.Dataset.ValidationCount, config.Dataset.SubsetSeed));
        // the vocabulary, the task setup and the encoder's start see the training part only
        dataset = dataset with { Train = kept };
        if (dataset.Kind == ReasonerTask.MultiLabel) throw new ExperimentConfigException($"dataset.name: {dataset.Name} is multi-label; experiments compare single-label and span-QA tasks");
        var encoder = new EncoderSpec
        {
            Layers = config.Model.Layers,
            Hidden = config.Model.Hidden,
            Heads = config.Model.Heads,
            Intermediate = config.Model.Intermediate,
            Dropout = config.Model.Dropout,
            VocabSize = config.Vocab.MaxSize,
            VocabMinFrequency = config.Vocab.MinFrequency,
            Pretrained = config.Encoder.Pretrained is { } spec ? Field("encoder.pretrained", () => JobSetup.ResolvePretrained(spec)) : null,
        };
        var options = CogLtxOptions.Default with { RecallSteps = config.Cogltx.RecallSteps };
        JobSetup Setup() => JobSetup.Prepare(dataset, encoder, config.Cogltx.SplitMode, options, Path.Combine(outDir, TokenizerFolder), config.Cogltx.SupportingFacts);
        // with a pretrained encoder, a query slot word its vocabulary lacks is a problem of that setting
        var job = encoder.Pretrained is null ? Setup() : Field("encoder.pretrained", Setup);
        return new ExperimentData(job,
            [.. dataset.Train.Select(e => Convert(e, job.Tokenizer, dataset, job.Setup))],
            [.. heldOut.Select(e => Convert(e, job.Tokenizer, dataset, job.Setup))],
            [.. dataset.Test.Select(e => Convert(e, job.Tokenizer, dataset, job.Setup))]);
    }

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
        var slots = setup.QuerySlots.Select((s, i) => (s, i)).ToDictionary(p => p.i, p => TaskSetup.SlotKind(p.s));
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

    /// <summary>The configured data set: generated, or read from the data directory; limited to a seeded random subset.</summary>
    private static Dataset Load(DatasetConfig config, string? dataDirOption)
    {
        var s = config.Synthetic;
        var spec = new DataSpec
        {
            Name = config.Name,
            DataDir = config.DataDir ?? dataDirOption,
            CleanNewsgroups = config.CleanNewsgroups,
            Synthetic = new SyntheticOptions
            {
                Seed = s.Seed,
                TrainCount = s.TrainCount,
                TestCount = s.TestCount,
                MinTokens = s.MinTokens,
                MaxTokens = s.MaxTokens,
                LateEvidenceFraction = s.LateEvidenceFraction,
                EvidenceSentences = s.EvidenceSentences,
                ClassCount = s.Classes,
            },
            TrainLimit = config.TrainLimit,
            TestLimit = config.TestLimit,
            SubsetSeed = config.SubsetSeed,
        };
        try
        {
            return spec.Load();
        }
        catch (FileNotFoundException e)
        {
            throw new ExperimentConfigException($"dataset.name: {e.Message} (data directory {DataDirectory.Resolve(spec.DataDir)}: set dataset.data_dir, --data-dir or {DataDirectory.EnvironmentVariable})", e);
        }
    }

    /// <summary>Runs a setup step whose <see cref="InvalidDataException"/> or <see cref="ArgumentException"/> belongs to a config field.</summary>
    private static T Field<T>(string field, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new ExperimentConfigException($"{field}: {e.Message}", e);
        }
    }
}
