using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// An encoder with a task head, laid out as transformers' <c>XxxForYyy</c> classes: the encoder's keys under
/// <c>base_model_prefix</c> (<c>bert.</c>, <c>roberta.</c>, <c>longformer.</c>), the head's keys at the root.
/// The encoder comes from <see cref="EncoderFactory"/>, so every head works over every registered encoder.
/// </summary>
public abstract class HeadModel : Module, IHfModel
{
    private protected HeadModel(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer, HfTask task)
        : this(config, EncoderFactory.CreateEncoder(config, vb.Pp(config.BaseModelPrefix), rng, addPoolingLayer), rng, task)
    {
    }

    /// <summary>A head over an encoder built elsewhere (the judge's and reasoner's); it is saved under <c>base_model_prefix</c>.</summary>
    private protected HeadModel(BertConfig config, EncoderModel encoder, Rng rng, HfTask task)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (encoder.Config.ModelType != config.ModelType)
            throw new ArgumentException($"a {config.ModelType} head over a {encoder.Config.ModelType} encoder");
        Config = config;
        Task = task;
        Rng = rng;
        Encoder = Child(config.BaseModelPrefix, encoder);
    }

    /// <inheritdoc/>
    public BertConfig Config { get; }

    /// <summary>The head's task (question answering, sequence or token classification, masked LM).</summary>
    public HfTask Task { get; }

    /// <summary>The encoder under the head.</summary>
    public EncoderModel Encoder { get; }

    /// <summary>The dropout stream shared with the encoder.</summary>
    private protected Rng Rng { get; }

    /// <summary>The same dropout stream, for trainers that checkpoint its state.</summary>
    public Rng DropoutRng => Rng;

    /// <inheritdoc/>
    public string Architecture => EncoderFactory.ArchitectureName(Config.ModelType, Task);

    Module IHfModel.Module => this;

    /// <inheritdoc/>
    public abstract IReadOnlyDictionary<string, Tensor> Run(EncoderInput input);
}
