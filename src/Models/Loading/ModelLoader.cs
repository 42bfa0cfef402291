using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Input;

namespace CogLtx.Models;

/// <summary>
/// Loads and saves Hugging Face checkpoint directories: <c>config.json</c> + <c>model.safetensors</c>, a sharded
/// <c>model.safetensors.index.json</c>, <c>pytorch_model.bin</c> or a sharded <c>pytorch_model.bin.index.json</c> (read
/// in that order of preference, as transformers' <c>from_pretrained</c> does; <c>.bin</c> files by the restricted
/// reader of <see cref="Nn.Torch.PyTorchCheckpoint"/>), and save <c>model.safetensors</c> as <c>save_pretrained</c> does.
/// Encoder keys are accepted with or without the <c>bert.</c>/<c>roberta.</c> prefix; legacy LayerNorm
/// <c>gamma</c>/<c>beta</c> names are accepted by <see cref="VarBuilder"/>.
/// </summary>
public static partial class ModelLoader
{
    /// <summary>The model configuration file of a checkpoint directory.</summary>
    public const string ConfigFile = "config.json";
    /// <summary>Weights in one safetensors file.</summary>
    public const string WeightsFile = "model.safetensors";
    /// <summary>Index of sharded safetensors weights.</summary>
    public const string WeightsIndexFile = "model.safetensors.index.json";
    /// <summary>Weights in one PyTorch pickle file.</summary>
    public const string TorchWeightsFile = "pytorch_model.bin";
    /// <summary>Index of sharded PyTorch weights.</summary>
    public const string TorchWeightsIndexFile = "pytorch_model.bin.index.json";

    /// <summary>Reads and validates <c>dir/config.json</c>.</summary>
    public static BertConfig ReadConfig(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model directory not found: {dir}");
        return BertConfig.Load(Path.Combine(dir, ConfigFile));
    }

    /// <summary>
    /// Loads <paramref name="dir"/> as the model for <paramref name="task"/> (default: the task its config's
    /// "architectures" names). Throws when encoder weights are missing or, with <see cref="LoadOptions.Strict"/>,
    /// on any missing or unexpected key; otherwise those are listed in the report.
    /// </summary>
    public static (IHfModel Model, LoadReport Report) Load(string dir, HfTask? task = null, LoadOptions? options = null)
    {
        var config = ReadConfig(dir);
        CheckVocabulary(dir, config);
        var (tensors, files, ignored) = ReadWeights(dir);
        return FromTensors(config, tensors, task ?? EncoderFactory.TaskOf(config), string.Join(", ", files), options, ignored);
    }

    /// <summary>Loads <paramref name="dir"/> as a <typeparamref name="T"/> (e.g. <see cref="BertModel"/>, <see cref="QuestionAnsweringModel"/>).</summary>
    public static (T Model, LoadReport Report) Load<T>(string dir, LoadOptions? options = null) where T : class, IHfModel
    {
        var (model, report) = Load(dir, TaskFor(typeof(T)), options);
        return model is T typed
            ? (typed, report)
            : throw new InvalidDataException(
                $"{Path.Combine(dir, ConfigFile)}: model_type \"{model.Config.ModelType}\" builds {model.Architecture}, not {typeof(T).Name}");
    }

    /// <summary>
    /// Builds the model for <paramref name="task"/> from tensors already in memory; <paramref name="source"/> names them in errors.
    /// </summary>
    public static (IHfModel Model, LoadReport Report) FromTensors(
        BertConfig config, IReadOnlyDictionary<string, Tensor> tensors, HfTask task, string source, LoadOptions? options = null,
        IReadOnlyList<string>? ignoredKeys = null)
    {
        options ??= LoadOptions.Default;
        config.Validate(source);
        var prefix = task == HfTask.Base ? null : config.BaseModelPrefix;
        var ignored = new List<string>(ignoredKeys ?? []);
        var renamed = NormaliseKeys(tensors, prefix, config.ModelType, task, ignored);
        CheckAgainstConfig(renamed, prefix, config, source);
        var vb = VarBuilder.FromTensors(renamed, source, new Rng(options.InitSeed), allowInit: true);
        var model = EncoderFactory.Create(config, task, vb, new Rng(options.DropoutSeed));
        var missing = vb.MissingKeys.Order(StringComparer.Ordinal).ToList();
        var unexpected = vb.UnusedKeys.ToList();
        var encoderRoot = prefix is null ? "" : prefix + ".";
        var fatalMissing = options.Strict
            ? missing
            : missing.Where(k => k.StartsWith(encoderRoot + "embeddings.", StringComparison.Ordinal) || k.StartsWith(encoderRoot + "encoder.", StringComparison.Ordinal)).ToList();
        if (fatalMissing.Count > 0 || (options.Strict && unexpected.Count > 0))
        {
            var parts = new List<string>();
            if (fatalMissing.Count > 0) parts.Add($"missing keys: {List(fatalMissing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected keys: {List(unexpected)}");
            throw new InvalidDataException($"{source}: checkpoint does not fit {model.Architecture} (model_type {config.ModelType}): {string.Join("; ", parts)}");
        }
        return (model, new LoadReport(source.Split(", "), missing, unexpected, ignored));
    }

    /// <summary>
    /// Saves <paramref name="model"/> as transformers does: <c>model.safetensors</c> (F32, metadata format=pt, tied
    /// tensors once) and <c>config.json</c> with "architectures", each written atomically.
    /// </summary>
    public static void Save(IHfModel model, string dir)
    {
        Directory.CreateDirectory(dir);
        var tensors = model.Module.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value));
        SafeTensors.Write(Path.Combine(dir, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        model.Config.Save(Path.Combine(dir, ConfigFile), model.Architecture);
    }

    /// <summary>
    /// Reads the float tensors of the directory's weights: <c>model.safetensors</c>, the shards named by
    /// <c>model.safetensors.index.json</c>, <c>pytorch_model.bin</c> or the shards named by
    /// <c>pytorch_model.bin.index.json</c>, the first present. F16, BF16 and F64 are converted to float32. Integer
    /// buffers (<c>position_ids</c>, <c>token_type_ids</c>) are skipped and listed in Ignored.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyList<string> Files, IReadOnlyList<string> Ignored) ReadWeights(string dir)
    {
        var files = WeightFiles(dir);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var path in files)
        {
            var file = WeightsFiles.Open(path);
            foreach (var name in file.Names)
            {
                var dtype = file.Dtype(name);
                if (dtype is "F32" or "F16" or "BF16" or "F64")
                {
                    if (!tensors.TryAdd(name, file.GetFloat(name))) throw new InvalidDataException($"{path}: tensor {name} also appears in another shard");
                }
                else if (name.EndsWith("position_ids", StringComparison.Ordinal) || name.EndsWith("token_type_ids", StringComparison.Ordinal))
                {
                    ignored.Add(name);
                }
                else
                {
                    throw new InvalidDataException($"{path}: tensor {name} has dtype {dtype}; model weights must be F32, F16, BF16 or F64");
                }
            }
        }
        return (tensors, files, ignored);
    }

    /// <summary>The weights files of <paramref name="dir"/>, in transformers' order of preference.</summary>
    public static List<string> WeightFiles(string dir)
    {
        foreach (var (single, index) in new[] { (WeightsFile, WeightsIndexFile), (TorchWeightsFile, TorchWeightsIndexFile) })
        {
            if (File.Exists(Path.Combine(dir, single))) return [Path.Combine(dir, single)];
            if (File.Exists(Path.Combine(dir, index))) return ShardsOf(Path.Combine(dir, index), dir);
        }
        foreach (var other in new[] { "tf_model.h5", "flax_model.msgpack" })
        {
            var path = Path.Combine(dir, other);
            if (File.Exists(path))
                throw new NotSupportedException(
                    $"{path}: TensorFlow and Flax checkpoints cannot be loaded; convert to safetensors first, e.g. in Python: " +
                    $"AutoModel.from_pretrained(\"{dir}\", from_tf=True).save_pretrained(\"{dir}\") — it writes {WeightsFile}");
        }
        throw new FileNotFoundException($"{dir}: no weights ({WeightsFile}, {WeightsIndexFile}, {TorchWeightsFile} or {TorchWeightsIndexFile})", Path.Combine(dir, WeightsFile));
    }

    private static List<string> ShardsOf(string index, string dir)
    {
        try
        {
            using var doc = JsonDocument.Parse(Utf8Input.ReadFile(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{index}: no \"weight_map\" object");
            var shards = map.EnumerateObject().Select(p => (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null) ?? throw new InvalidDataException($"{index}: weight_map.{p.Name} is not a file name"))
                .Distinct().Order(StringComparer.Ordinal).Select(f => Path.Combine(dir, f)).ToList();
            foreach (var shard in shards)
                if (!File.Exists(shard)) throw new FileNotFoundException($"{index}: names shard {Path.GetFileName(shard)}, which is not in {dir}", shard);
            return shards;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON: {e.Message}", e);
        }
    }

    private static string List(IReadOnlyList<string> keys, int max = 40) =>
        keys.Count <= max ? string.Join(", ", keys) : string.Join(", ", keys.Take(max)) + $" … and {keys.Count - max} more";

    private static HfTask? TaskFor(Type type) =>
        type == typeof(QuestionAnsweringModel) ? HfTask.QuestionAnswering
        : type == typeof(SequenceClassificationModel) ? HfTask.SequenceClassification
        : type == typeof(TokenClassificationModel) ? HfTask.TokenClassification
        : type == typeof(MaskedLmModel) ? HfTask.MaskedLM
        : typeof(EncoderModel).IsAssignableFrom(type) ? HfTask.Base
        : null;
}
