namespace CogLtx.Models.Longformer;

/// <summary>
/// Longformer's hyper-parameters. transformers' <c>LongformerConfig</c> is <c>RobertaConfig</c> plus
/// <c>attention_window</c> (an int, or one even window per layer), so a Longformer config is the shared
/// <see cref="BertConfig"/> record with <c>model_type = "longformer"</c> and <see cref="BertConfig.AttentionWindow"/>
/// set; this class holds what only Longformer needs to know about it.
/// </summary>
public static class LongformerConfig
{
    /// <summary>config.json <c>model_type</c> of a Longformer.</summary>
    public const string ModelType = "longformer";

    /// <summary>
    /// The full window of every layer (token i sees i − w/2 … i + w/2). A single value in config.json applies to
    /// every layer, as transformers does.
    /// </summary>
    public static int[] Windows(BertConfig config)
    {
        if (config.ModelType != ModelType)
            throw new ArgumentException($"attention windows belong to model_type \"{ModelType}\", config says \"{config.ModelType}\"");
        config.Validate("longformer config");
        var w = config.AttentionWindow!;
        return w.Length == 1 ? Enumerable.Repeat(w[0], config.NumHiddenLayers).ToArray() : (int[])w.Clone();
    }

    /// <summary>
    /// HF pads the sequence to a multiple of the largest window (<c>LongformerModel._pad_to_window_size</c>).
    /// </summary>
    public static int PaddingMultiple(BertConfig config) => Windows(config).Max();

    /// <summary>
    /// A Longformer of the given size, RoBERTa conventions (pad 1, bos 0, eos 2, sep 2, one token type,
    /// layer_norm_eps 1e-5) and <c>max_position_embeddings = maxLength + 2</c>.
    /// </summary>
    public static BertConfig Create(int vocabSize, int layers, int hidden, int heads, int intermediate, int maxLength, int attentionWindow) => new()
    {
        ModelType = ModelType,
        Architectures = ["LongformerModel"],
        VocabSize = vocabSize,
        HiddenSize = hidden,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        IntermediateSize = intermediate,
        MaxPositionEmbeddings = maxLength + 2,
        TypeVocabSize = 1,
        LayerNormEps = 1e-5,
        PadTokenId = 1,
        BosTokenId = 0,
        EosTokenId = 2,
        AttentionWindow = [attentionWindow],
    };

    /// <summary>The torch-peer benchmark model: L4 H256 A4 I1024, vocab 30522, window 128 (tools/torch-peer/bench_bert.py).</summary>
    public static BertConfig Mini(int maxLength = 4096, int attentionWindow = 128) =>
        Create(BertConfig.BertVocabSize, 4, 256, 4, 1024, maxLength, attentionWindow);
}
