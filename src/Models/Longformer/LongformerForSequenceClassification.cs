using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Longformer;

/// <summary>
/// Ports transformers 5.12.1 <c>modeling_longformer.py: LongformerForSequenceClassification</c>: a
/// <see cref="LongformerModel"/> without pooler under <c>longformer.</c>, then <c>classifier</c>
/// (<see cref="ClassificationHead"/> = <c>LongformerClassificationHead</c>: dense → tanh → out_proj on the
/// <c>&lt;s&gt;</c> vector). When the input has no global attention mask, <c>&lt;s&gt;</c> (position 0) gets global
/// attention, as transformers does (with a warning there).
/// </summary>
public sealed class LongformerForSequenceClassification : HeadModel
{
    /// <summary>Loads or creates the Longformer encoder and its classification head under <paramref name="vb"/>.</summary>
    public LongformerForSequenceClassification(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: false, HfTask.SequenceClassification) =>
        Classifier = Child("classifier", new ClassificationHead(config, vb.Pp("classifier"), rng));

    /// <summary>The encoder, as a Longformer.</summary>
    public LongformerModel Longformer => (LongformerModel)Encoder;

    /// <summary><c>classifier</c>: dense, tanh, out_proj over the first token.</summary>
    public ClassificationHead Classifier { get; }

    /// <summary>Number of classes (<c>num_labels</c>).</summary>
    public int NumLabels => Classifier.OutProj.OutFeatures;

    /// <summary>logits (B, num_labels).</summary>
    public Tensor Forward(EncoderInput input) => Classifier.Forward(Encoder.Forward(WithGlobalFirstToken(input)));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input) =>
        new Dictionary<string, Tensor> { ["logits"] = Forward(input) };

    /// <summary>transformers' single_label_classification loss: mean cross-entropy.</summary>
    public static Tensor Loss(Tensor logits, int[] labels) => SequenceClassificationModel.Loss(logits, labels);

    /// <summary><paramref name="input"/> unchanged when it has a global attention mask, else with global attention on position 0 of every row.</summary>
    public static EncoderInput WithGlobalFirstToken(EncoderInput input)
    {
        if (input.GlobalAttentionMask is not null) return input;
        var global = new int[input.Batch * input.Length];
        for (var b = 0; b < input.Batch; b++) global[b * input.Length] = 1;
        return input with { GlobalAttentionMask = global };
    }

    /// <summary>A freshly initialised model drawn from <paramref name="seed"/>.</summary>
    public static LongformerForSequenceClassification Create(BertConfig config, ulong seed = 0)
    {
        var rng = new Rng(seed);
        return new LongformerForSequenceClassification(config, VarBuilder.Fresh(rng.Fork()), rng.Fork());
    }

    /// <summary>
    /// A classifier over a copy of <paramref name="encoder"/> (e.g. from <see cref="LongformerConverter.FromModel"/>)
    /// with <paramref name="numLabels"/> labels. <paramref name="classifier"/> may hold the head's tensors under their
    /// HF names (<c>classifier.dense.*</c>, <c>classifier.out_proj.*</c>, as a RoBERTa classifier has them); heads
    /// not given are initialised from <paramref name="seed"/>.
    /// </summary>
    public static LongformerForSequenceClassification FromEncoder(LongformerModel encoder, int numLabels, IReadOnlyDictionary<string, Tensor>? classifier = null, ulong seed = 0)
    {
        var tensors = encoder.NamedParameters().ToDictionary(p => $"{LongformerConfig.ModelType}.{p.Name}", p => p.Value);
        foreach (var (name, value) in classifier ?? new Dictionary<string, Tensor>())
        {
            if (!name.StartsWith("classifier.", StringComparison.Ordinal)) throw new ArgumentException($"classifier tensor {name} is not under classifier.");
            tensors[name] = value;
        }
        var config = encoder.Config with { NumLabelsField = numLabels, Id2Label = null, Label2Id = null, Architectures = ["LongformerForSequenceClassification"] };
        var rng = new Rng(seed);
        var vb = VarBuilder.FromTensors(tensors, "encoder and classifier in memory", rng.Fork(), allowInit: true);
        var model = new LongformerForSequenceClassification(config, vb, rng.Fork());
        if (vb.UnusedKeys.Count > 0) throw new ArgumentException($"tensors the classifier does not use: {string.Join(", ", vb.UnusedKeys)}");
        return model;
    }

    /// <summary>
    /// Loads a checkpoint directory through <see cref="ModelLoader"/> (key normalisation, checks, missing head
    /// initialised and reported) and moves the weights into this class.
    /// </summary>
    public static (LongformerForSequenceClassification Model, LoadReport Report) Load(string dir, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        var (loaded, report) = ModelLoader.Load(dir, HfTask.SequenceClassification, options);
        if (loaded.Config.ModelType != LongformerConfig.ModelType)
            throw new InvalidDataException($"{Path.Combine(dir, ModelLoader.ConfigFile)}: model_type \"{loaded.Config.ModelType}\" is not a Longformer");
        var vb = VarBuilder.FromTensors(loaded.Module.StateDict(), report.WeightsFiles[0]);
        return (new LongformerForSequenceClassification(loaded.Config, vb, new Rng(options.DropoutSeed)), report);
    }

    /// <summary>Writes config.json ("architectures": LongformerForSequenceClassification) and model.safetensors.</summary>
    public void Save(string dir) => ModelLoader.Save(this, dir);
}
