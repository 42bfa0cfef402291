using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CogLtx.Tensors.Io;
using CogLtx.Text.Input;

namespace CogLtx.Models;

/// <summary>
/// The encoder hyper-parameters of a Hugging Face <c>config.json</c> (transformers' <c>BertConfig</c>,
/// <c>RobertaConfig</c>, <c>LongformerConfig</c>), under the Hugging Face field names. Absent fields take
/// the transformers defaults of <c>BertConfig</c>; fields this record does not know are kept in
/// <see cref="Extra"/> so that a saved config still carries them.
/// </summary>
public sealed partial record BertConfig
{
    /// <summary>Model types this project can build. "longformer" is built by the Longformer encoder.</summary>
    public static readonly IReadOnlyList<string> KnownModelTypes = ["bert", "roberta", "longformer"];

    /// <summary>Activations <see cref="Activation"/> implements (transformers <c>ACT2FN</c> names).</summary>
    public static readonly IReadOnlyList<string> SupportedActivations = ["gelu", "relu", "gelu_new", "gelu_pytorch_tanh", "tanh"];

    /// <summary>config.json <c>model_type</c>: "bert", "roberta" or "longformer".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    /// <summary>config.json <c>architectures</c>: the transformers classes the checkpoint was saved from.</summary>
    [JsonPropertyName("architectures")] public string[]? Architectures { get; init; }
    /// <summary>config.json <c>vocab_size</c>.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;
    /// <summary>config.json <c>hidden_size</c> (H).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    /// <summary>config.json <c>num_hidden_layers</c>.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    /// <summary>config.json <c>num_attention_heads</c>.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    /// <summary>config.json <c>intermediate_size</c> (feed-forward width).</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    /// <summary>config.json <c>hidden_act</c> ("gelu", "gelu_new", "relu", ...).</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    /// <summary>config.json <c>hidden_dropout_prob</c>.</summary>
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    /// <summary>config.json <c>attention_probs_dropout_prob</c>.</summary>
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    /// <summary>config.json <c>classifier_dropout</c>; null: heads use <see cref="HiddenDropoutProb"/>.</summary>
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }
    /// <summary>config.json <c>max_position_embeddings</c>.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    /// <summary>config.json <c>type_vocab_size</c>.</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    /// <summary>config.json <c>initializer_range</c>: standard deviation of fresh weights.</summary>
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    /// <summary>config.json <c>layer_norm_eps</c>.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    /// <summary>config.json <c>pad_token_id</c>.</summary>
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; } = 0;
    /// <summary>config.json <c>bos_token_id</c>.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    /// <summary>config.json <c>eos_token_id</c>.</summary>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }
    /// <summary>config.json <c>position_embedding_type</c>; only "absolute" (or none) is supported.</summary>
    [JsonPropertyName("position_embedding_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PositionEmbeddingType { get; init; }
    /// <summary>config.json <c>is_decoder</c>; a decoder is rejected.</summary>
    [JsonPropertyName("is_decoder"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? IsDecoder { get; init; }
    /// <summary>config.json <c>add_cross_attention</c>; cross-attention is rejected.</summary>
    [JsonPropertyName("add_cross_attention"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? AddCrossAttention { get; init; }

    /// <summary>Hugging Face does not write <c>num_labels</c>; it is implied by <see cref="Id2Label"/>.</summary>
    [JsonPropertyName("num_labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? NumLabelsField { get; init; }
    /// <summary>config.json <c>id2label</c>: label name of each class id (keys are ids as strings).</summary>
    [JsonPropertyName("id2label"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Id2Label { get; init; }
    /// <summary>config.json <c>label2id</c>: class id of each label name.</summary>
    [JsonPropertyName("label2id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, int>? Label2Id { get; init; }

    /// <summary>Longformer: full window per layer (an int in the file means the same for every layer).</summary>
    [JsonPropertyName("attention_window"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(IntOrIntArrayConverter))]
    public int[]? AttentionWindow { get; init; }

    /// <summary>Every other field of the file, written back unchanged by <see cref="Save"/>.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>Number of labels of a classification head: <c>len(id2label)</c>, else <c>num_labels</c>, else 2 (transformers' default).</summary>
    [JsonIgnore] public int NumLabels => Id2Label?.Count ?? NumLabelsField ?? 2;

    /// <summary>HS = H / NH.</summary>
    [JsonIgnore] public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Padding id used by embeddings (transformers uses <c>padding_idx=None</c> when absent: −1 here).</summary>
    [JsonIgnore] public int PaddingIdx => PadTokenId ?? -1;

    /// <summary>Dropout of classification heads: <c>classifier_dropout</c> when set, else <c>hidden_dropout_prob</c>.</summary>
    [JsonIgnore] public double ClassifierDropoutOrHidden => ClassifierDropout ?? HiddenDropoutProb;

    /// <summary>True when positions follow fairseq/RoBERTa: ids derived from <c>input_ids != pad</c>, offset by pad + 1.</summary>
    [JsonIgnore] public bool UsesRobertaPositions => ModelType is "roberta" or "longformer";

    /// <summary>Longest input the position table allows (RoBERTa reserves pad + 1 rows).</summary>
    [JsonIgnore] public int MaxLength => UsesRobertaPositions ? MaxPositionEmbeddings - PaddingIdx - 1 : MaxPositionEmbeddings;

    /// <summary>Hugging Face's prefix for the encoder inside head models (<c>base_model_prefix</c>).</summary>
    [JsonIgnore] public string BaseModelPrefix => ModelType;

    /// <summary>Reads and validates <paramref name="path"/> (a config.json).</summary>
    public static BertConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file not found: {path}", path);
        BertConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<BertConfig>(Utf8Input.ReadFile(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid config.json: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"{path}: config.json is empty (null)");
        config.Validate(path);
        return config;
    }

    /// <summary>Parses and validates config JSON text; <paramref name="source"/> names it in errors.</summary>
    public static BertConfig Parse(string json, string source = "config.json")
    {
        BertConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<BertConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid config.json: {e.Message}", e);
        }
        (config ?? throw new InvalidDataException($"{source}: config.json is empty (null)")).Validate(source);
        return config;
    }

    /// <summary>The config as Hugging Face-readable JSON (indented, the architecture recorded).</summary>
    public string ToJson(string? architecture = null)
    {
        var node = JsonSerializer.SerializeToNode(this, JsonOptions)!.AsObject();
        if (architecture is not null) node["architectures"] = new JsonArray(architecture);
        // HF derives num_labels from id2label; write id2label so a head's size survives the round trip.
        if (Id2Label is null && NumLabelsField is { } n)
        {
            var id2 = new JsonObject();
            var l2i = new JsonObject();
            for (var i = 0; i < n; i++) { id2[i.ToString()] = $"LABEL_{i}"; l2i[$"LABEL_{i}"] = i; }
            node["id2label"] = id2;
            node["label2id"] = l2i;
        }
        node.Remove("num_labels");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes config.json atomically (temporary file, then rename).</summary>
    public void Save(string path, string? architecture = null) => AtomicFile.WriteAllText(path, ToJson(architecture));

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and the offending field when the
    /// config describes something this project cannot build.
    /// </summary>
    public void Validate(string source = "config")
    {
        var problems = new List<string>();
        if (!KnownModelTypes.Contains(ModelType))
            problems.Add($"unknown model_type \"{ModelType}\" (supported: {string.Join(", ", KnownModelTypes)})");
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(IntermediateSize, "intermediate_size");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        Positive(TypeVocabSize, "type_vocab_size");
        if (HiddenSize > 0 && NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads != 0)
            problems.Add($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (!SupportedActivations.Contains(HiddenAct))
            problems.Add($"unsupported hidden_act \"{HiddenAct}\" (supported: {string.Join(", ", SupportedActivations)})");
        Probability(HiddenDropoutProb, "hidden_dropout_prob");
        Probability(AttentionProbsDropoutProb, "attention_probs_dropout_prob");
        if (ClassifierDropout is { } cd) Probability(cd, "classifier_dropout");
        if (!(LayerNormEps > 0)) problems.Add($"layer_norm_eps must be positive, found {LayerNormEps}");
        if (!(InitializerRange >= 0)) problems.Add($"initializer_range must be non-negative, found {InitializerRange}");
        if (PositionEmbeddingType is not (null or "absolute"))
            problems.Add($"unsupported position_embedding_type \"{PositionEmbeddingType}\" (only \"absolute\")");
        if (IsDecoder == true) problems.Add("is_decoder is true: only encoders are supported");
        if (AddCrossAttention == true) problems.Add("add_cross_attention is true: cross-attention is not supported");
        if (PadTokenId is { } pad && (pad < 0 || pad >= VocabSize))
            problems.Add($"pad_token_id {pad} is outside the vocabulary (vocab_size {VocabSize})");
        if (UsesRobertaPositions && PadTokenId is null)
            problems.Add($"model_type {ModelType} needs pad_token_id (position ids are derived from it)");
        if (UsesRobertaPositions && PadTokenId is { } p && MaxPositionEmbeddings <= p + 1)
            problems.Add($"max_position_embeddings {MaxPositionEmbeddings} leaves no positions after padding_idx {p}");
        if (NumLabelsField is { } nl && Id2Label is { } map && map.Count != nl)
            problems.Add($"num_labels {nl} disagrees with id2label ({map.Count} entries)");
        if (NumLabels <= 0) problems.Add($"num_labels must be positive, found {NumLabels}");
        if (ModelType == "longformer")
        {
            if (AttentionWindow is null || AttentionWindow.Length == 0) problems.Add("longformer needs attention_window");
            else if (AttentionWindow.Length != 1 && AttentionWindow.Length != NumHiddenLayers)
                problems.Add($"attention_window has {AttentionWindow.Length} entries, expected 1 or num_hidden_layers {NumHiddenLayers}");
            else if (AttentionWindow.Any(w => w <= 0 || w % 2 != 0))
                problems.Add($"attention_window values must be positive and even, found [{string.Join(", ", AttentionWindow)}]");
        }
        if (problems.Count > 0) throw new InvalidDataException($"{source}: " + string.Join("; ", problems));

        void Positive(int value, string key)
        {
            if (value <= 0) problems.Add($"{key} must be positive, found {value}");
        }

        void Probability(double value, string key)
        {
            if (!(value >= 0 && value < 1)) problems.Add($"{key} must be in [0, 1), found {value}");
        }
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed class IntOrIntArrayConverter : JsonConverter<int[]?>
    {
        public override int[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.Number => [reader.GetInt32()],
                JsonTokenType.StartArray => JsonSerializer.Deserialize<int[]>(ref reader),
                _ => throw new JsonException($"attention_window: expected an int or a list of ints, found {reader.TokenType}"),
            };

        public override void Write(Utf8JsonWriter writer, int[]? value, JsonSerializerOptions options)
        {
            if (value is null) { writer.WriteNullValue(); return; }
            writer.WriteStartArray();
            foreach (var v in value) writer.WriteNumberValue(v);
            writer.WriteEndArray();
        }
    }
}
