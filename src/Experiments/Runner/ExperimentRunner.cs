using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Reporting;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Runner;

/// <summary>How to run an experiment, besides its config.</summary>
public sealed record RunnerOptions
{
    /// <summary>Data directory from the command line (the config's <c>dataset.data_dir</c> wins).</summary>
    public string? DataDir { get; init; }

    /// <summary>Force quick mode (the <c>--quick</c> flag).</summary>
    public bool Quick { get; init; }

    /// <summary>Commit recorded in the results; null: asked from git in the current folder.</summary>
    public string? Commit { get; init; }
}

/// <summary>
/// Runs an experiment: prepares the data once, then trains and evaluates each configured method in turn, measuring
/// training and evaluation time and peak memory, and writes results.json / .csv / .md and the SVG plots
/// (<see cref="ResultsWriter"/>). Interrupted runs resume: each finished method's result is stored in
/// <c>{out}/methods/{name}/result.json</c> and not run again; a method cut off mid-training continues from its
/// checkpoint. An output folder remembers the configuration it was made with (<c>experiment.json</c>), and a
/// different configuration is refused rather than mixed in.
/// </summary>
public sealed class ExperimentRunner
{
    public const string MethodsFolder = "methods";
    public const string ResultFile = "result.json";
    public const string ExperimentFile = "experiment.json";

    private static readonly JsonSerializerOptions CacheJson = new() { WriteIndented = true };

    private readonly ExperimentConfig config;
    private readonly string outDir;
    private readonly RunnerOptions options;

    public ExperimentRunner(ExperimentConfig config, string outDir, RunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(outDir);
        this.options = options ?? new RunnerOptions();
        this.config = config.Validate().Effective(this.options.Quick);
        this.outDir = Path.GetFullPath(outDir);
    }

    /// <summary>The configuration actually run (quick settings applied).</summary>
    public ExperimentConfig Config => config;

    /// <summary>Methods whose stored results were reused by the last <see cref="Run"/>.</summary>
    public IReadOnlyList<string> Reused { get; private set; } = [];

    public ExperimentResults Run(IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outDir);
        // The commit the run starts from (the tree may move on while a long run trains).
        var commit = options.Commit ?? GitCommit();
        var fingerprint = CheckOutputFolder();
        progress?.Report(new ExperimentProgress("data", "prepare", 0, $"loading {config.Dataset.Name}"));
        var data = ExperimentData.Prepare(config, outDir, options.DataDir);
        progress?.Report(new ExperimentProgress("data", "prepare", 1,
            $"{data.Train.Count} train / {data.Test.Count} test documents, vocabulary {data.Job.Tokenizer.VocabSize}"));

        var methods = new List<MethodResult>();
        var reused = new List<string>();
        foreach (var name in config.Methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = Path.Combine(outDir, MethodsFolder, name);
            if (TryLoad(dir, fingerprint) is { } cached)
            {
                methods.Add(cached);
                reused.Add(name);
                progress?.Report(new ExperimentProgress(name, "train", 1, "finished earlier (stored result reused)"));
                progress?.Report(new ExperimentProgress(name, "evaluate", 1, "finished earlier (stored result reused)"));
                continue;
            }
            Directory.CreateDirectory(dir);
            var context = new MethodContext(config, data, dir, progress, cancellationToken);
            MethodOutcome outcome;
            double peakMb;
            using (var memory = new MemorySampler())
            {
                outcome = name == MethodNames.CogLtx ? CogLtxMethod.Run(context) : BaselineMethod.Run(name, context);
                peakMb = memory.PeakWorkingSetMb;
            }
            var result = new MethodResult(name, outcome.Metrics, outcome.TrainSeconds, outcome.EvalSeconds, peakMb, outcome.Outcomes, outcome.Curve, outcome.Note);
            Store(dir, fingerprint, result);
            methods.Add(result);
        }
        Reused = reused;
        var results = new ExperimentResults(
            config.Name + (config.Quick ? " (quick)" : ""),
            data.HeadlineMetric,
            commit,
            DateTimeOffset.UtcNow,
            Settings(data),
            methods);
        ResultsWriter.Write(outDir, results, config.Evaluation.BootstrapSeed);
        return results;
    }

    /// <summary>
    /// Fingerprint of everything that changes a method's numbers (not the method list, not reporting settings, not the
    /// checkpoint interval); the output folder's <c>experiment.json</c> must match it.
    /// </summary>
    internal static string Fingerprint(ExperimentConfig config)
    {
        var identity = config with
        {
            Methods = [], Evaluation = config.Evaluation with { BootstrapSeed = 0, BatchSize = 1 }, Name = "",
            Training = config.Training with { CheckpointEverySteps = null },
        };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJson())))[..16].ToLowerInvariant();
    }

    private string CheckOutputFolder()
    {
        var fingerprint = Fingerprint(config);
        var path = Path.Combine(outDir, ExperimentFile);
        if (File.Exists(path))
        {
            string? stored;
            try
            {
                stored = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("fingerprint").GetString();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ExperimentConfigException($"{path}: unreadable ({e.Message}); delete it or choose another --out");
            }
            if (stored != fingerprint)
                throw new ExperimentConfigException(
                    $"{outDir} holds a run of a different configuration (fingerprint {stored}, this config {fingerprint}); choose another --out or delete the folder");
        }
        var record = new { fingerprint, config = JsonSerializer.Deserialize<JsonElement>(config.ToJson()) };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, CacheJson));
        return fingerprint;
    }

    private static MethodResult? TryLoad(string dir, string fingerprint)
    {
        var path = Path.Combine(dir, ResultFile);
        if (!File.Exists(path)) return null;
        try
        {
            var stored = JsonSerializer.Deserialize<StoredResult>(File.ReadAllText(path), CacheJson);
            return stored?.Fingerprint == fingerprint ? stored.Result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Store(string dir, string fingerprint, MethodResult result)
    {
        var path = Path.Combine(dir, ResultFile);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new StoredResult(fingerprint, result), CacheJson));
    }

    private Dictionary<string, string> Settings(ExperimentData data)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = config.Model;
        var t = config.Training;
        var b = config.Baselines;
        var settings = new Dictionary<string, string>
        {
            ["train_examples"] = data.Train.Count.ToString(inv),
            ["test_examples"] = data.Test.Count.ToString(inv),
            ["long_test_examples"] = data.Test.Count(e => Scoring.IsLong(e.DocumentTokens, config.Evaluation.LongThreshold)).ToString(inv),
            ["mean_test_tokens"] = data.Test.Average(e => e.DocumentTokens).ToString("0", inv),
            ["vocab"] = data.Job.Tokenizer.VocabSize.ToString(inv),
            ["encoder"] = data.Job.PretrainedDir is { } dir
                ? $"L{data.Job.ModelConfig.NumHiddenLayers} H{data.Job.ModelConfig.HiddenSize} A{data.Job.ModelConfig.NumAttentionHeads} I{data.Job.ModelConfig.IntermediateSize} pretrained ({config.Encoder.Pretrained}: {dir})"
                : $"L{m.Layers} H{m.Hidden} A{m.Heads} I{m.Intermediate} dropout {m.Dropout.ToString(inv)} (from scratch)",
            ["epochs"] = t.Epochs.ToString(inv),
            ["baseline_epochs"] = BaselineMethod.Epochs(config, data).ToString(inv),
            ["batch"] = $"{t.BatchSize}x{t.AccumulationSteps}",
            ["lr"] = $"judge {t.JudgeLearningRate.ToString(inv)}, reasoner/baselines {t.ReasonerLearningRate.ToString(inv)}",
            ["relevance"] = t.Relevance.ToString(),
            ["seed"] = t.Seed.ToString(inv),
            ["baselines"] = $"max_length {b.MaxLength}, head {b.HeadTokens}, stride {b.WindowStride}, longformer {b.LongformerMaxLength}/{b.LongformerAttentionWindow}",
            ["quick"] = config.Quick ? "true" : "false",
            ["threads"] = $"{Tensors.ComputeOptions.Current.Threads.ToString(inv)} of {Environment.ProcessorCount.ToString(inv)} processors",
        };
        if (data.Validation.Count > 0)
        {
            settings["validation_examples"] = data.Validation.Count.ToString(inv);
            settings["select"] = t.Select == EpochSelection.BestValidation ? "best validation epoch" : "last epoch";
        }
        return settings;
    }

    /// <summary><c>git rev-parse --short HEAD</c> in the current folder, or "unknown".</summary>
    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null) return "unknown";
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private sealed record StoredResult(string Fingerprint, MethodResult Result);
}
