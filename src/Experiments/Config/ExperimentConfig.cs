using System.Text.Json;
using System.Text.Json.Serialization;
using CogLtx.Text.Input;

namespace CogLtx.Experiments.Config;

/// <summary>A configuration file that cannot be used; the message names the file and the field.</summary>
public sealed class ExperimentConfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One experiment (<c>experiments/&lt;name&gt;/config.json</c>): a data set, the encoder (trained from scratch or pretrained), the
/// training recipe shared by CogLTX and every baseline, the methods to compare and how to evaluate them. JSON names
/// are snake_case; unknown fields are errors (a typo must not silently fall back to a default).
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name, used as the results' data-set title.</summary>
    public string Name { get; init; } = "";

    public DatasetConfig Dataset { get; init; } = new();

    /// <summary>Scratch or pretrained encoder (a pretrained one makes <see cref="Vocab"/> and <see cref="Model"/> unused).</summary>
    public EncoderConfig Encoder { get; init; } = new();

    public VocabConfig Vocab { get; init; } = new();

    public ModelConfig Model { get; init; } = new();

    public TrainingConfig Training { get; init; } = new();

    public CogLtxConfig Cogltx { get; init; } = new();

    public BaselinesConfig Baselines { get; init; } = new();

    public EvaluationConfig Evaluation { get; init; } = new();

    /// <summary>Methods to run, CogLTX first by convention: cogltx, head, tail, head-tail, sliding-mean, sliding-max (classification), sliding-window (QA), longformer.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Shrink everything (see <see cref="QuickConfig"/>) for a smoke test.</summary>
    public bool Quick { get; init; }

    /// <summary>What <see cref="Quick"/> shrinks to.</summary>
    public QuickConfig QuickSettings { get; init; } = new();

    /// <summary>Seeds, data sets and encoders to run the experiment over; null (left out of the JSON): a single run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GridConfig? Grid { get; init; }

    internal static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Reads and validates a config file; errors name the file and the field (<c>training.epochs</c>).</summary>
    public static ExperimentConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ExperimentConfigException($"experiment config not found: {path}");
        string json;
        try
        {
            json = Utf8Input.ReadFile(path);
        }
        catch (InvalidDataException e)
        {
            throw new ExperimentConfigException(e.Message, e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses and validates config JSON; <paramref name="source"/> starts every error message.</summary>
    public static ExperimentConfig Parse(string json, string source = "config.json")
    {
        ExperimentConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ExperimentConfig>(json, Json);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "(document)";
            throw new ExperimentConfigException($"{source}: {field}: {FirstSentence(e.Message)}", e);
        }
        if (config is null) throw new ExperimentConfigException($"{source}: the file holds no JSON object");
        return config.Validate(source);
    }

    /// <summary>The config as JSON (snake_case), as written next to the results.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Throws <see cref="ExperimentConfigException"/> naming the first invalid field.</summary>
    public ExperimentConfig Validate(string source = "config.json")
    {
        var errors = new ConfigErrors(source);
        errors.Check(Name.Length > 0, "name", "must be a non-empty string");
        Dataset.Validate(errors);
        Encoder.Validate(errors);
        Vocab.Validate(errors);
        Model.Validate(errors);
        Training.Validate(errors);
        Cogltx.Validate(errors);
        Baselines.Validate(errors);
        Evaluation.Validate(errors);
        QuickSettings.Validate(errors);
        Grid?.Validate(errors);
        errors.Check(Methods.Count > 0, "methods", "must list at least one method");
        errors.Check(Training.Select == EpochSelection.Last || Dataset.ValidationCount > 0, "training.select",
            "\"best_validation\" needs a validation split (dataset.validation_count > 0)");
        var spanQa = Dataset.IsSpanQa;
        for (var i = 0; i < Methods.Count; i++)
        {
            var m = Methods[i];
            if (!MethodNames.All.Contains(m))
                errors.Fail($"methods[{i}]", $"unknown method \"{m}\" (known: {string.Join(", ", MethodNames.All)})");
            else if (spanQa && m is MethodNames.SlidingMean or MethodNames.SlidingMax)
                errors.Fail($"methods[{i}]", $"\"{m}\" pools window vectors for classification; span QA uses \"{MethodNames.SlidingWindow}\"");
            else if (!spanQa && m == MethodNames.SlidingWindow)
                errors.Fail($"methods[{i}]", $"\"{m}\" is the span-QA sliding window; classification uses \"{MethodNames.SlidingMean}\" or \"{MethodNames.SlidingMax}\"");
            if (Methods.Take(i).Contains(m)) errors.Fail($"methods[{i}]", $"\"{m}\" is listed twice");
        }
        return this;
    }

    /// <summary>The config with <see cref="QuickSettings"/> applied when <see cref="Quick"/> (or <paramref name="forceQuick"/>) is set.</summary>
    public ExperimentConfig Effective(bool forceQuick = false)
    {
        if (!Quick && !forceQuick) return this;
        var q = QuickSettings;
        return this with
        {
            Quick = true,
            Dataset = Dataset with
            {
                TrainLimit = Math.Min(Dataset.TrainLimit ?? int.MaxValue, q.TrainExamples),
                TestLimit = Math.Min(Dataset.TestLimit ?? int.MaxValue, q.TestExamples),
                ValidationCount = Math.Min(Dataset.ValidationCount, Math.Max(1, q.TrainExamples / 4)),
                Synthetic = Dataset.Synthetic with
                {
                    TrainCount = Math.Min(Dataset.Synthetic.TrainCount, q.TrainExamples),
                    TestCount = Math.Min(Dataset.Synthetic.TestCount, q.TestExamples),
                    MinTokens = Math.Min(Dataset.Synthetic.MinTokens, q.MinTokens),
                    MaxTokens = Math.Min(Dataset.Synthetic.MaxTokens, q.MaxTokens),
                },
            },
            Vocab = Vocab with { MaxSize = Math.Min(Vocab.MaxSize, q.VocabSize) },
            Model = Model with { Layers = q.Layers, Hidden = q.Hidden, Heads = q.Heads, Intermediate = 2 * q.Hidden },
            Training = Training with { Epochs = q.Epochs, BatchSize = Math.Min(Training.BatchSize, 4), AccumulationSteps = 1 },
            Baselines = Baselines with
            {
                Epochs = Baselines.Epochs is null ? null : q.Epochs,
                LongformerMaxLength = Math.Min(Baselines.LongformerMaxLength, q.LongformerMaxLength),
                LongformerAttentionWindow = Math.Min(Baselines.LongformerAttentionWindow, q.LongformerAttentionWindow),
            },
        };
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}

/// <summary>Method names understood by the runner.</summary>
public static class MethodNames
{
    public const string CogLtx = "cogltx";
    public const string Head = "head";
    public const string Tail = "tail";
    public const string HeadTail = "head-tail";
    public const string SlidingMean = "sliding-mean";
    public const string SlidingMax = "sliding-max";
    public const string SlidingWindow = "sliding-window";
    public const string Longformer = "longformer";

    public static IReadOnlyList<string> All { get; } = [CogLtx, Head, Tail, HeadTail, SlidingMean, SlidingMax, SlidingWindow, Longformer];
}

/// <summary>Collects the first validation failure as an <see cref="ExperimentConfigException"/>.</summary>
internal sealed class ConfigErrors(string source)
{
    public void Check(bool ok, string field, string problem)
    {
        if (!ok) Fail(field, problem);
    }

    public void Fail(string field, string problem) => throw new ExperimentConfigException($"{source}: {field}: {problem}");
}
