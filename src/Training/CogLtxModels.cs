using System.Text.Json;
using System.Text.Json.Serialization;
using CogLtx.Judge;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Tensors;
using CogLtx.Tensors.Io;
using CogLtx.Text.Documents;
using CogLtx.Text.Tokenization;
using CogLtx.Text.Input;

namespace CogLtx.Training;

/// <summary>What a CogLTX model directory declares besides its weights (<c>cogltx.json</c>).</summary>
public sealed record CogLtxManifest
{
    /// <summary>Format version written by this code.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format version of the manifest.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The task the models solve.</summary>
    public required TaskSetup Task { get; init; }

    /// <summary>The CogLTX settings the models were trained with.</summary>
    public required CogLtxOptions CogLtx { get; init; }

    /// <summary>The options the models were trained with (null for an untrained pair).</summary>
    public TrainingOptions? Training { get; init; }

    internal static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>
/// The two models of CogLTX with everything needed to use them: judge, reasoner, tokenizer, task setup and
/// constants. A model directory holds <c>judge/</c> and <c>reasoner/</c> (Hugging Face layout: config.json +
/// model.safetensors, loadable by transformers as <c>*ForTokenClassification</c> and <c>*ForQuestionAnswering</c> /
/// <c>*ForSequenceClassification</c>), <c>tokenizer/</c> (the tokenizer's files) and <c>cogltx.json</c>.
/// </summary>
public sealed class CogLtxModels
{
    /// <summary>The manifest file of a model directory.</summary>
    public const string ManifestFile = "cogltx.json";
    /// <summary>Sub-folder of the judge checkpoint.</summary>
    public const string JudgeDir = "judge";
    /// <summary>Sub-folder of the reasoner checkpoint.</summary>
    public const string ReasonerDir = "reasoner";
    /// <summary>Sub-folder of the tokenizer.</summary>
    public const string TokenizerDir = "tokenizer";

    /// <summary>Files a tokenizer folder may hold (transformers' names); the ones present are copied into checkpoints.</summary>
    public static IReadOnlyList<string> TokenizerFiles { get; } =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt"];

    private CogLtxModels(JudgeModel judge, ReasonerModel reasoner, Rng judgeRng, Rng reasonerRng, ITokenizer tokenizer,
        string tokenizerSource, CogLtxManifest manifest)
    {
        Judge = judge;
        Reasoner = reasoner;
        JudgeRng = judgeRng;
        ReasonerRng = reasonerRng;
        Tokenizer = tokenizer;
        TokenizerSource = tokenizerSource;
        Manifest = manifest;
    }

    /// <summary>The judge.</summary>
    public JudgeModel Judge { get; }

    /// <summary>The reasoner.</summary>
    public ReasonerModel Reasoner { get; }

    /// <summary>The judge's dropout stream (saved in training checkpoints).</summary>
    public Rng JudgeRng { get; }

    /// <summary>The reasoner's dropout stream (saved in training checkpoints).</summary>
    public Rng ReasonerRng { get; }

    /// <summary>The tokenizer both models share.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Folder the tokenizer was read from (its files are copied on save).</summary>
    public string TokenizerSource { get; }

    /// <summary>The manifest (task and settings).</summary>
    public CogLtxManifest Manifest { get; private set; }

    /// <summary>The task the models solve.</summary>
    public TaskSetup Setup => Manifest.Task;

    /// <summary>The CogLTX settings.</summary>
    public CogLtxOptions Options => Manifest.CogLtx;

    /// <summary>Records the training options in the manifest written by <see cref="Save"/>.</summary>
    public void SetTrainingOptions(TrainingOptions options) => Manifest = Manifest with { Training = options };

    /// <summary>
    /// Fresh judge and reasoner of the same <paramref name="config"/> (both initialised as transformers'
    /// <c>_init_weights</c>, N(0, initializer_range²)), for training from scratch. The config's vocabulary must match
    /// the tokenizer's.
    /// </summary>
    public static CogLtxModels CreateFresh(BertConfig config, string tokenizerDir, TaskSetup setup, CogLtxOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        CheckFits(config, tokenizer, options, "fresh model config");
        var root = new Rng(seed);
        var judgeInit = root.Fork();
        var reasonerInit = root.Fork();
        var judgeRng = root.Fork();
        var reasonerRng = root.Fork();
        var judge = JudgeModel.Create(config, VarBuilder.Fresh(judgeInit), judgeRng);
        var reasoner = ReasonerModel.Create(config, setup.Task, setup.LabelNames.Count, VarBuilder.Fresh(reasonerInit), reasonerRng, setup.LabelNames);
        return new CogLtxModels(judge, reasoner, judgeRng, reasonerRng, tokenizer, tokenizerDir,
            new CogLtxManifest { Task = setup.Validate(), CogLtx = options.Validate() });
    }

    /// <summary>
    /// Judge and reasoner initialised from Hugging Face checkpoint folders (a base encoder such as roberta-base, or a
    /// head model whose head is then reused); missing heads are initialised from <paramref name="seed"/>, missing encoder
    /// weights are an error. <paramref name="reasonerDir"/> defaults to <paramref name="judgeDir"/>; the tokenizer is
    /// read from <paramref name="tokenizerDir"/> (default: the judge folder). A head whose shape does not fit (another
    /// number of labels) is re-initialised, as transformers does with <c>ignore_mismatched_sizes</c>, and
    /// <paramref name="warn"/> (default: standard error) is told which tensors, with both shapes.
    /// </summary>
    public static CogLtxModels FromPretrained(string judgeDir, string? reasonerDir, string? tokenizerDir, TaskSetup setup, CogLtxOptions options, ulong seed,
        Action<string>? warn = null)
    {
        warn ??= Console.Error.WriteLine;
        reasonerDir ??= judgeDir;
        tokenizerDir ??= judgeDir;
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        var root = new Rng(seed);
        var judgeRng = root.Fork();
        var reasonerRng = root.Fork();
        var judgeConfig = ModelLoader.ReadConfig(judgeDir);
        CheckFits(judgeConfig, tokenizer, options, Path.Combine(judgeDir, ModelLoader.ConfigFile));
        var judgeVb = PrefixedBuilder(judgeDir, judgeConfig, root.Fork(), ["classifier."]);
        var judge = JudgeModel.Create(judgeConfig, judgeVb, judgeRng);
        CheckOnlyHeadMissing(judgeVb, judgeDir, ["classifier."]);
        WarnMismatched(judgeVb, judgeDir, judge.Architecture, warn);
        var reasonerConfig = ModelLoader.ReadConfig(reasonerDir);
        CheckFits(reasonerConfig, tokenizer, options, Path.Combine(reasonerDir, ModelLoader.ConfigFile));
        string[] reasonerHead = ["classifier.", "qa_outputs.", reasonerConfig.BaseModelPrefix + ".pooler."];
        var reasonerVb = PrefixedBuilder(reasonerDir, reasonerConfig, root.Fork(), reasonerHead);
        var reasoner = ReasonerModel.Create(reasonerConfig, setup.Task, setup.LabelNames.Count, reasonerVb, reasonerRng, setup.LabelNames);
        CheckOnlyHeadMissing(reasonerVb, reasonerDir, reasonerHead);
        WarnMismatched(reasonerVb, reasonerDir, reasoner.Architecture, warn);
        return new CogLtxModels(judge, reasoner, judgeRng, reasonerRng, tokenizer, tokenizerDir,
            new CogLtxManifest { Task = setup.Validate(), CogLtx = options.Validate() });
    }

    /// <summary>Loads a model directory written by <see cref="Save"/>; dropout streams restart from <paramref name="seed"/>.</summary>
    public static CogLtxModels Load(string dir, ulong seed = 0)
    {
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{dir} is not a CogLtx model directory: {ManifestFile} is missing", manifestPath);
        CogLtxManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CogLtxManifest>(Utf8Input.ReadFile(manifestPath), CogLtxManifest.Json)
                ?? throw new InvalidDataException($"{manifestPath}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifestPath}: not a valid CogLtx manifest: {e.Message}", e);
        }
        if (manifest.Format != CogLtxManifest.CurrentFormat)
            throw new InvalidDataException($"{manifestPath}: format {manifest.Format}, this build reads format {CogLtxManifest.CurrentFormat}");
        manifest = manifest with { Task = manifest.Task.Validate(), CogLtx = manifest.CogLtx.Validate() };
        var tokenizerDir = Path.Combine(dir, TokenizerDir);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        var root = new Rng(seed);
        var judgeRng = root.Fork();
        var reasonerRng = root.Fork();
        var judgeDir = Path.Combine(dir, JudgeDir);
        var judgeVb = StrictBuilder(judgeDir);
        var judge = JudgeModel.Create(ModelLoader.ReadConfig(judgeDir), judgeVb, judgeRng);
        CheckAllUsed(judgeVb, judgeDir);
        var reasonerDir = Path.Combine(dir, ReasonerDir);
        var reasonerVb = StrictBuilder(reasonerDir);
        var reasoner = ReasonerModel.Create(ModelLoader.ReadConfig(reasonerDir), manifest.Task.Task, manifest.Task.LabelNames.Count, reasonerVb, reasonerRng,
            manifest.Task.LabelNames);
        CheckAllUsed(reasonerVb, reasonerDir);
        CheckFits(judge.Config, tokenizer, manifest.CogLtx, judgeDir);
        return new CogLtxModels(judge, reasoner, judgeRng, reasonerRng, tokenizer, tokenizerDir, manifest);
    }

    /// <summary>Writes judge/, reasoner/, tokenizer/ and cogltx.json into <paramref name="dir"/> (created if needed).</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        SaveModel(Judge, Judge.Config, Judge.Architecture, Path.Combine(dir, JudgeDir));
        SaveModel(Reasoner, Reasoner.Config, Reasoner.Architecture, Path.Combine(dir, ReasonerDir));
        var tokenizerOut = Path.Combine(dir, TokenizerDir);
        Directory.CreateDirectory(tokenizerOut);
        var copied = 0;
        foreach (var name in TokenizerFiles)
        {
            var source = Path.Combine(TokenizerSource, name);
            if (!File.Exists(source)) continue;
            var target = Path.Combine(tokenizerOut, name);
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal)) File.Copy(source, target, overwrite: true);
            copied++;
        }
        if (copied == 0) throw new InvalidOperationException($"no tokenizer files ({string.Join(", ", TokenizerFiles)}) in {TokenizerSource}");
        // transformers' AutoTokenizer needs tokenizer_class beside a bare vocabulary, and model_max_length to truncate.
        TokenizerConfigWriter.Ensure(tokenizerOut, Judge.Config.MaxLength, lowercaseSource: TokenizerSource);
        AtomicFile.WriteAllText(Path.Combine(dir, ManifestFile), JsonSerializer.Serialize(Manifest, CogLtxManifest.Json));
    }

    /// <summary>Puts both models in eval mode (dropout off) for inference.</summary>
    public void Eval()
    {
        Judge.Eval();
        Reasoner.Eval();
    }

    private static void SaveModel(Module model, BertConfig config, string architecture, string dir)
    {
        Directory.CreateDirectory(dir);
        var tensors = model.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value));
        SafeTensors.Write(Path.Combine(dir, ModelLoader.WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        config.Save(Path.Combine(dir, ModelLoader.ConfigFile), architecture);
    }

    private static void CheckFits(BertConfig config, ITokenizer tokenizer, CogLtxOptions options, string source)
    {
        if (config.VocabSize < tokenizer.VocabSize)
            throw new InvalidDataException($"{source}: vocab_size {config.VocabSize} is smaller than the tokenizer's {tokenizer.VocabSize} tokens");
        if (config.MaxLength < options.Capacity)
            throw new InvalidDataException($"{source}: the model takes at most {config.MaxLength} tokens, the working memory needs {options.Capacity} (capacity)");
    }

    // Base checkpoints (roberta-base) store the encoder without the "roberta." prefix; head models with it.
    private static VarBuilder PrefixedBuilder(string dir, BertConfig config, Rng initRng, IReadOnlyList<string> headPrefixes)
    {
        var (tensors, files, _) = ModelLoader.ReadWeights(dir);
        var prefix = config.BaseModelPrefix + ".";
        var prefixed = tensors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal))
            ? tensors
            : tensors.ToDictionary(p => p.Key.StartsWith("embeddings.", StringComparison.Ordinal) || p.Key.StartsWith("encoder.", StringComparison.Ordinal)
                ? prefix + p.Key : p.Key, p => p.Value);
        return VarBuilder.FromTensors(prefixed, string.Join(", ", files), initRng, allowInit: true,
            reinitOnShapeMismatch: key => headPrefixes.Any(h => key.StartsWith(h, StringComparison.Ordinal)));
    }

    private static void WarnMismatched(VarBuilder vb, string dir, string architecture, Action<string> warn)
    {
        if (vb.MismatchedKeys.Count > 0)
            warn($"Some weights of {architecture} were not initialized from the checkpoint at {dir} and are newly initialized because the shapes did not match: " +
                $"{string.Join("; ", vb.MismatchedKeys)}. Train the model before using it for predictions.");
    }

    private static VarBuilder StrictBuilder(string dir)
    {
        var (tensors, files, _) = ModelLoader.ReadWeights(dir);
        return VarBuilder.FromTensors(tensors, string.Join(", ", files));
    }

    private static void CheckOnlyHeadMissing(VarBuilder vb, string dir, IReadOnlyList<string> headPrefixes)
    {
        var encoderMissing = vb.MissingKeys.Where(k => !headPrefixes.Any(h => k.StartsWith(h, StringComparison.Ordinal))).ToList();
        if (encoderMissing.Count > 0)
            throw new InvalidDataException($"{dir}: checkpoint lacks encoder weights: {string.Join(", ", encoderMissing.Take(8))}{(encoderMissing.Count > 8 ? ", …" : "")}");
    }

    private static void CheckAllUsed(VarBuilder vb, string dir)
    {
        if (vb.UnusedKeys.Count > 0)
            throw new InvalidDataException($"{dir}: unexpected keys (is the task setup right?): {string.Join(", ", vb.UnusedKeys.Take(8))}");
    }
}
