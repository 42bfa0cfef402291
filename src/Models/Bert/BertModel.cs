using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Embeddings → encoder → optional pooler, shared by <see cref="BertModel"/> and <see cref="RobertaModel"/>
/// (they differ only in how position ids are derived, which <see cref="BertEmbeddings"/> reads from the config).
/// Keys: <c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>, <c>pooler.dense.*</c>.
/// </summary>
public abstract class BertFamilyModel : EncoderModel
{
    private protected BertFamilyModel(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer, string expectedModelType)
        : base(config)
    {
        if (config.ModelType != expectedModelType)
            throw new ArgumentException($"{GetType().Name} needs model_type \"{expectedModelType}\", config says \"{config.ModelType}\"");
        config.Validate($"{GetType().Name} config");
        Embeddings = Child("embeddings", new BertEmbeddings(config, vb.Pp("embeddings"), rng));
        Encoder = Child("encoder", new BertEncoder(config, vb.Pp("encoder"), rng));
        Pooler = addPoolingLayer ? Child("pooler", new BertPooler(config, vb.Pp("pooler"))) : null;
    }

    /// <summary><c>embeddings</c>.</summary>
    public BertEmbeddings Embeddings { get; }
    /// <summary><c>encoder</c>.</summary>
    public BertEncoder Encoder { get; }
    /// <summary><c>pooler</c>, or null for a model without one.</summary>
    public BertPooler? Pooler { get; }

    /// <inheritdoc/>
    public override bool HasPooler => Pooler is not null;

    /// <inheritdoc/>
    public override Tensor WordEmbeddingWeight => Embeddings.WordEmbeddings.Weight;

    /// <inheritdoc/>
    public override EncoderOutput Encode(EncoderInput input, bool outputHiddenStates = false)
    {
        CheckInput(input);
        var hidden = Embeddings.Forward(input.InputIds, input.Batch, input.Length, input.TokenTypeIds);
        var inputs = AttentionInputs.Create(input.Batch, input.Length, input.AttentionMask);
        var states = outputHiddenStates ? new List<Tensor>() : null;
        var last = Encoder.Forward(hidden, inputs, states);
        return new EncoderOutput(last, Pooler?.Forward(last), states);
    }
}

/// <summary>
/// Ports transformers <c>models/bert/modeling_bert.py: BertModel</c> (encoder path): positions 0..T−1,
/// token types, padding_idx = pad_token_id on the word table.
/// </summary>
public sealed class BertModel : BertFamilyModel
{
    /// <summary>Loads or creates a BERT encoder under <paramref name="vb"/>; the pooler only when <paramref name="addPoolingLayer"/>.</summary>
    public BertModel(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer = true)
        : base(config, vb, rng, addPoolingLayer, "bert")
    {
    }

    /// <inheritdoc/>
    public override string Architecture => "BertModel";

    /// <summary>A freshly initialised model (HF <c>_init_weights</c>) drawn from <paramref name="seed"/>.</summary>
    public static BertModel Create(BertConfig config, ulong seed = 0, bool addPoolingLayer = true) =>
        new(config, VarBuilder.Fresh(new Rng(seed)), new Rng(seed + 1), addPoolingLayer);

    /// <summary>Loads a Hugging Face checkpoint directory (config.json + model.safetensors).</summary>
    public static BertModel Load(string dir, LoadOptions? options = null) => ModelLoader.Load<BertModel>(dir, options).Model;
}

/// <summary>
/// Ports transformers <c>models/roberta/modeling_roberta.py: RobertaModel</c>: as BERT, but position ids are
/// cumsum(ids ≠ pad)·(ids ≠ pad) + pad and both word and position tables have padding_idx = pad.
/// </summary>
public sealed class RobertaModel : BertFamilyModel
{
    /// <summary>Loads or creates a RoBERTa encoder under <paramref name="vb"/>; the pooler only when <paramref name="addPoolingLayer"/>.</summary>
    public RobertaModel(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer = true)
        : base(config, vb, rng, addPoolingLayer, "roberta")
    {
    }

    /// <inheritdoc/>
    public override string Architecture => "RobertaModel";

    /// <summary>A freshly initialised model (HF <c>_init_weights</c>) drawn from <paramref name="seed"/>.</summary>
    public static RobertaModel Create(BertConfig config, ulong seed = 0, bool addPoolingLayer = true) =>
        new(config, VarBuilder.Fresh(new Rng(seed)), new Rng(seed + 1), addPoolingLayer);

    /// <summary>Loads a Hugging Face checkpoint directory (config.json + model.safetensors).</summary>
    public static RobertaModel Load(string dir, LoadOptions? options = null) => ModelLoader.Load<RobertaModel>(dir, options).Model;
}
