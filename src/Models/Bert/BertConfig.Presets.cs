namespace CogLtx.Models;

/// <summary>Named sizes: the torch-peer benchmark sizes and small models for training from scratch.</summary>
public sealed partial record BertConfig
{
    /// <summary>BERT vocabulary size (bert-base-uncased).</summary>
    public const int BertVocabSize = 30522;

    /// <summary>L4 H256 A4 I1024 (the torch-peer "mini"; google/bert_uncased_L-4_H-256_A-4).</summary>
    public static BertConfig Mini(int vocabSize = BertVocabSize) => Sized(4, 256, 4, 1024, vocabSize);

    /// <summary>L6 H384 A12 I1536 (the MiniLM-L6-H384 shape, e.g. sentence-transformers/all-MiniLM-L6-v2).</summary>
    public static BertConfig MiniLm(int vocabSize = BertVocabSize) => Sized(6, 384, 12, 1536, vocabSize);

    /// <summary>L4 H512 A8 I2048 (the torch-peer "small"; google/bert_uncased_L-4_H-512_A-8).</summary>
    public static BertConfig Small(int vocabSize = BertVocabSize) => Sized(4, 512, 8, 2048, vocabSize);

    /// <summary>L12 H768 A12 I3072 (bert-base-uncased).</summary>
    public static BertConfig Base(int vocabSize = BertVocabSize) => Sized(12, 768, 12, 3072, vocabSize);

    /// <summary>
    /// A small model for training from scratch on the project's data: L2 H128 A2 I512 by default
    /// (google/bert_uncased_L-2_H-128_A-2 "tiny"), max length 512.
    /// </summary>
    public static BertConfig Scratch(int vocabSize, int layers = 2, int hidden = 128, int heads = 2, int? intermediate = null, int maxLength = 512) =>
        Sized(layers, hidden, heads, intermediate ?? 4 * hidden, vocabSize) with { MaxPositionEmbeddings = maxLength };

    /// <summary>A preset by name: tiny, mini, minilm, small, medium (L8 H512 A8 I2048) or base.</summary>
    public static BertConfig Preset(string name, int vocabSize = BertVocabSize) => name switch
    {
        "tiny" => Scratch(vocabSize),
        "mini" => Mini(vocabSize),
        "minilm" => MiniLm(vocabSize),
        "small" => Small(vocabSize),
        "medium" => Sized(8, 512, 8, 2048, vocabSize),
        "base" => Base(vocabSize),
        _ => throw new ArgumentException($"unknown model size \"{name}\" (tiny, mini, minilm, small, medium, base)", nameof(name)),
    };

    /// <summary>
    /// The same sizes as a RoBERTa model (roberta-base conventions): pad 1, bos 0, eos 2, one token type,
    /// layer_norm_eps 1e-5, and pad + 1 extra position rows so that <see cref="MaxLength"/> is unchanged.
    /// </summary>
    public BertConfig AsRoberta() => this with
    {
        ModelType = "roberta",
        PadTokenId = 1,
        BosTokenId = 0,
        EosTokenId = 2,
        TypeVocabSize = 1,
        LayerNormEps = 1e-5,
        MaxPositionEmbeddings = MaxLength + 2,
    };

    private static BertConfig Sized(int layers, int hidden, int heads, int intermediate, int vocabSize) => new()
    {
        ModelType = "bert",
        VocabSize = vocabSize,
        HiddenSize = hidden,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        IntermediateSize = intermediate,
    };
}
