using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Tokenization;

namespace CogLtx.Models.Longformer;

/// <summary>
/// Turns a BERT or RoBERTa checkpoint into a Longformer the way the Longformer paper did (Beltagy et al. 2020, §5,
/// and allenai/longformer <c>scripts/convert_model_to_long.ipynb</c>): the learned position rows are copied over and
/// over until they cover <c>maxLength</c> positions; each layer's query/key/value are copied into
/// query_global/key_global/value_global; <c>attention_window</c> is set for every layer. Every other tensor is kept
/// (encoder keys move from <c>bert.</c>/<c>roberta.</c> to <c>longformer.</c>).
/// Longformer always derives RoBERTa-style positions (first real token = pad + 1). For a RoBERTa source that is the
/// same table; for a BERT source (positions 0, 1, …) its row t becomes row pad + 1 + t and the rows up to the pad
/// row are zero (only padding tokens use them).
/// A sequence of T tokens with T − 1 ≤ attention_window / 2 lies inside every token's band, so there the converted
/// model computes exactly what the source did (for real tokens; padded query rows differ, Longformer zeroes them).
/// </summary>
public static class LongformerConverter
{
    /// <summary>Position table length of a converted model (Longformer's 4096).</summary>
    public const int DefaultMaxLength = 4096;
    /// <summary>Attention window of a converted model (Longformer's 512).</summary>
    public const int DefaultAttentionWindow = 512;

    /// <summary>Loads the RoBERTa checkpoint in <paramref name="dir"/> (a base or head checkpoint; its encoder is used) and converts it.</summary>
    public static LongformerModel FromRoberta(string dir, int maxLength = DefaultMaxLength, int attentionWindow = DefaultAttentionWindow, LoadOptions? options = null) =>
        FromCheckpoint(dir, "roberta", maxLength, attentionWindow, options);

    /// <summary>Loads the BERT checkpoint in <paramref name="dir"/> and converts it.</summary>
    public static LongformerModel FromBert(string dir, int maxLength = DefaultMaxLength, int attentionWindow = DefaultAttentionWindow, LoadOptions? options = null) =>
        FromCheckpoint(dir, "bert", maxLength, attentionWindow, options);

    private static LongformerModel FromCheckpoint(string dir, string modelType, int maxLength, int attentionWindow, LoadOptions? options)
    {
        var config = ModelLoader.ReadConfig(dir);
        if (config.ModelType != modelType)
            throw new InvalidDataException($"{Path.Combine(dir, ModelLoader.ConfigFile)}: model_type is \"{config.ModelType}\", expected \"{modelType}\"");
        var (encoder, _) = ModelLoader.Load<EncoderModel>(dir, options);
        return FromModel(encoder, maxLength, attentionWindow, (options ?? LoadOptions.Default).DropoutSeed);
    }

    /// <summary>
    /// A Longformer with the weights of an encoder already in memory (for example the reasoner's encoder, so that a
    /// baseline starts from the same weights as CogLTX). The result owns copies; the source is not changed.
    /// </summary>
    public static LongformerModel FromModel(EncoderModel source, int maxLength = DefaultMaxLength, int attentionWindow = DefaultAttentionWindow, ulong dropoutSeed = 1)
    {
        var (config, tensors) = Convert(source.Config, source.StateDict(), maxLength, attentionWindow);
        var vb = VarBuilder.FromTensors(tensors, $"{source.Architecture} converted to Longformer");
        var model = new LongformerModel(config with { Architectures = ["LongformerModel"] }, vb, new Rng(dropoutSeed), source.HasPooler);
        if (vb.UnusedKeys.Count > 0) throw new InvalidOperationException($"conversion left tensors unused: {string.Join(", ", vb.UnusedKeys)}");
        model.Train(source.Training);
        return model;
    }

    /// <summary>
    /// Converts the checkpoint directory <paramref name="sourceDir"/> (BERT or RoBERTa, base or head model) into a
    /// Longformer checkpoint directory: config.json, model.safetensors, and the tokenizer files copied, with a
    /// tokenizer_config.json whose <c>model_max_length</c> is <paramref name="maxLength"/> (written when the source has none).
    /// </summary>
    public static void ConvertCheckpoint(string sourceDir, string targetDir, int maxLength = DefaultMaxLength, int attentionWindow = DefaultAttentionWindow)
    {
        var source = ModelLoader.ReadConfig(sourceDir);
        var (tensors, _, _) = ModelLoader.ReadWeights(sourceDir);
        var (config, converted) = Convert(source, tensors, maxLength, attentionWindow);
        Directory.CreateDirectory(targetDir);
        SafeTensors.Write(Path.Combine(targetDir, ModelLoader.WeightsFile), converted.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            new Dictionary<string, string> { ["format"] = "pt" });
        config.Save(Path.Combine(targetDir, ModelLoader.ConfigFile));
        var copied = 0;
        foreach (var name in new[] { "vocab.txt", "vocab.json", "merges.txt", "tokenizer.json", "special_tokens_map.json", TokenizerConfigFile.FileName })
        {
            if (!File.Exists(Path.Combine(sourceDir, name))) continue;
            File.Copy(Path.Combine(sourceDir, name), Path.Combine(targetDir, name), overwrite: true);
            copied++;
        }
        if (copied > 0) TokenizerConfigWriter.Ensure(targetDir, maxLength, overrideMaxLength: true, lowercaseSource: sourceDir);
    }

    /// <summary>
    /// The conversion on a config and its tensors under Hugging Face names (with or without the <c>bert.</c> /
    /// <c>roberta.</c> prefix). Returns the Longformer config ("architectures" renamed) and new tensors.
    /// </summary>
    public static (BertConfig Config, Dictionary<string, Tensor> Tensors) Convert(BertConfig source, IReadOnlyDictionary<string, Tensor> tensors,
        int maxLength = DefaultMaxLength, int attentionWindow = DefaultAttentionWindow)
    {
        if (source.ModelType is not ("bert" or "roberta"))
            throw new ArgumentException($"only BERT and RoBERTa checkpoints convert to Longformer; model_type is \"{source.ModelType}\"");
        if (maxLength <= 0) throw new ArgumentException($"maxLength must be positive, got {maxLength}");
        if (attentionWindow <= 0 || attentionWindow % 2 != 0) throw new ArgumentException($"attention_window must be positive and even, got {attentionWindow}");
        var pad = source.PadTokenId ?? throw new ArgumentException($"{source.ModelType} config has no pad_token_id; Longformer derives positions from it");
        var oldPrefix = source.ModelType + ".";
        var prefixed = tensors.Keys.Any(k => k.StartsWith(oldPrefix, StringComparison.Ordinal));
        var root = prefixed ? LongformerConfig.ModelType + "." : "";
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in tensors)
            result[prefixed && key.StartsWith(oldPrefix, StringComparison.Ordinal) ? root + key[oldPrefix.Length..] : key] = value.Clone();
        if (source.ModelType == "bert") RenameBertHeads(result, root, EncoderFactory.TaskOf(source));

        var positionKey = root + "embeddings.position_embeddings.weight";
        if (!result.TryGetValue(positionKey, out var positions))
            throw new InvalidDataException($"the checkpoint has no {(prefixed ? oldPrefix : "")}embeddings.position_embeddings.weight");
        result[positionKey] = RepeatPositions(positions, source.ModelType == "roberta" ? pad + 1 : 0, pad, maxLength);

        for (var i = 0; i < source.NumHiddenLayers; i++)
            foreach (var projection in new[] { "query", "key", "value" })
                foreach (var part in new[] { "weight", "bias" })
                {
                    var self = $"{root}encoder.layer.{i}.attention.self.";
                    if (!result.TryGetValue($"{self}{projection}.{part}", out var local))
                        throw new InvalidDataException($"the checkpoint has no {self}{projection}.{part} (config says {source.NumHiddenLayers} layers)");
                    result[$"{self}{projection}_global.{part}"] = local.Clone();
                }

        var config = source with
        {
            ModelType = LongformerConfig.ModelType,
            MaxPositionEmbeddings = maxLength + pad + 1,
            AttentionWindow = Enumerable.Repeat(attentionWindow, source.NumHiddenLayers).ToArray(),
            Architectures = source.Architectures?.Select(RenameArchitecture).ToArray() ?? ["LongformerModel"],
        };
        config.Validate("converted Longformer config");
        return (config, result);
    }

    /// <summary>
    /// (pad + 1 + maxLength, H): rows pad + 1 + t hold source row firstReal + (t mod m), m the source's real rows;
    /// the rows before keep the source's (RoBERTa) or are zero (BERT, firstReal = 0).
    /// </summary>
    private static Tensor RepeatPositions(Tensor source, int firstReal, int pad, int maxLength)
    {
        int rows = source.Shape[0], h = source.Shape[1], m = rows - firstReal;
        if (m <= 0) throw new InvalidDataException($"position table has {rows} rows, none after the first real position {firstReal}");
        var target = Tensor.Zeros(pad + 1 + maxLength, h);
        source.Data.AsSpan(0, firstReal * h).CopyTo(target.Data); // RoBERTa: rows 0 … pad as they were
        for (var t = 0; t < maxLength; t++)
            source.Data.AsSpan((firstReal + t % m) * h, h).CopyTo(target.Data.AsSpan((pad + 1 + t) * h, h));
        return target;
    }

    /// <summary>
    /// Moves a BERT head into Longformer's layout, which is RoBERTa's. Sequence classification
    /// (<c>BertForSequenceClassification</c> → <c>LongformerForSequenceClassification</c>): BERT's pooler is the head's
    /// dense + tanh, so <c>bert.pooler.dense</c> → <c>classifier.dense</c> and <c>classifier</c> →
    /// <c>classifier.out_proj</c>; in eval mode the logits are unchanged (both apply dense, tanh, then the output layer
    /// to the first token). Masked LM (<c>BertForMaskedLM</c> → <c>LongformerForMaskedLM</c>):
    /// <c>cls.predictions.transform.dense</c> → <c>lm_head.dense</c>, <c>….LayerNorm</c> → <c>lm_head.layer_norm</c>,
    /// <c>cls.predictions.bias</c> → <c>lm_head.bias</c> (the decoder stays tied to the word embeddings; RoBERTa's
    /// head applies exact GELU, as BERT's with <c>hidden_act: gelu</c>). Other heads (<c>qa_outputs</c>, token
    /// <c>classifier</c>) have the same keys in both.
    /// </summary>
    private static void RenameBertHeads(Dictionary<string, Tensor> tensors, string root, HfTask task)
    {
        var moves = task switch
        {
            HfTask.SequenceClassification => new[]
            {
                ("classifier.weight", "classifier.out_proj.weight"), ("classifier.bias", "classifier.out_proj.bias"),
                (root + "pooler.dense.weight", "classifier.dense.weight"), (root + "pooler.dense.bias", "classifier.dense.bias"),
            },
            HfTask.MaskedLM => new[]
            {
                ("cls.predictions.transform.dense.weight", "lm_head.dense.weight"), ("cls.predictions.transform.dense.bias", "lm_head.dense.bias"),
                ("cls.predictions.transform.LayerNorm.weight", "lm_head.layer_norm.weight"), ("cls.predictions.transform.LayerNorm.bias", "lm_head.layer_norm.bias"),
                ("cls.predictions.bias", "lm_head.bias"), ("cls.predictions.decoder.weight", "lm_head.decoder.weight"),
                ("cls.predictions.decoder.bias", "lm_head.decoder.bias"),
            },
            _ => [],
        };
        foreach (var (from, to) in moves)
            if (tensors.Remove(from, out var value)) tensors[to] = value;
    }

    private static string RenameArchitecture(string name) =>
        name.StartsWith("Roberta", StringComparison.Ordinal) ? "Longformer" + name["Roberta".Length..]
        : name.StartsWith("Bert", StringComparison.Ordinal) ? "Longformer" + name["Bert".Length..]
        : name;
}
