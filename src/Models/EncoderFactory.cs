using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>Builds the encoder of one model type from a config and a weight builder.</summary>
public delegate EncoderModel EncoderBuilder(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer);

/// <summary>
/// Dispatch on <c>model_type</c> (and on the task named by <c>architectures</c>): which encoder class a
/// checkpoint needs, and the matching task heads on top of it. BERT and RoBERTa are built in.
/// Extension point: another encoder registers itself with <see cref="Register"/>; an encoder in this assembly
/// (Longformer) implements the partial method <see cref="RegisterExtensions"/> in its own file, e.g.
/// <c>static partial void RegisterExtensions() =&gt; Register("longformer", "Longformer", (c, vb, rng, pool) =&gt; new LongformerModel(c, vb, rng, pool));</c>
/// </summary>
public static partial class EncoderFactory
{
    private static readonly Dictionary<string, (string ClassPrefix, EncoderBuilder Build)> Registry = new(StringComparer.Ordinal)
    {
        ["bert"] = ("Bert", (c, vb, rng, pool) => new BertModel(c, vb, rng, pool)),
        ["roberta"] = ("Roberta", (c, vb, rng, pool) => new RobertaModel(c, vb, rng, pool)),
    };

    static EncoderFactory() => RegisterExtensions();

    /// <summary>Implemented by encoders of this assembly that are not built in (see the class remarks).</summary>
    static partial void RegisterExtensions();

    /// <summary>
    /// Registers (or replaces) the encoder of <paramref name="modelType"/>. <paramref name="classPrefix"/> is the
    /// transformers class prefix ("Bert" in "BertForQuestionAnswering").
    /// </summary>
    public static void Register(string modelType, string classPrefix, EncoderBuilder build)
    {
        lock (Registry) Registry[modelType] = (classPrefix, build);
    }

    /// <summary>The encoder for <paramref name="config"/>.ModelType (keys relative to <paramref name="vb"/>).</summary>
    public static EncoderModel CreateEncoder(BertConfig config, VarBuilder vb, Rng rng, bool addPoolingLayer = true) =>
        Lookup(config.ModelType).Build(config, vb, rng, addPoolingLayer);

    /// <summary>
    /// A model for <paramref name="task"/>: the base encoder (keys without prefix) or a head model (encoder keys under
    /// <c>bert.</c>/<c>roberta.</c>/…, head keys at the root), as transformers lays them out.
    /// </summary>
    public static IHfModel Create(BertConfig config, HfTask task, VarBuilder vb, Rng rng) => task switch
    {
        HfTask.Base => CreateEncoder(config, vb, rng),
        HfTask.QuestionAnswering => new QuestionAnsweringModel(config, vb, rng),
        HfTask.SequenceClassification => new SequenceClassificationModel(config, vb, rng),
        HfTask.TokenClassification => new TokenClassificationModel(config, vb, rng),
        HfTask.MaskedLM => new MaskedLmModel(config, vb, rng),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task"),
    };

    /// <summary>A freshly initialised model (transformers <c>_init_weights</c>), all draws from <paramref name="seed"/>.</summary>
    public static IHfModel CreateFresh(BertConfig config, HfTask task, ulong seed = 0)
    {
        var rng = new Rng(seed);
        return Create(config, task, VarBuilder.Fresh(rng.Fork()), rng.Fork());
    }

    /// <summary>Loads the checkpoint directory as the model its config.json names (see <see cref="ModelLoader.Load(string, HfTask?, LoadOptions?)"/>).</summary>
    public static IHfModel Load(string dir, LoadOptions? options = null) => ModelLoader.Load(dir, null, options).Model;

    /// <summary>transformers class name, e.g. ("roberta", QuestionAnswering) → "RobertaForQuestionAnswering".</summary>
    public static string ArchitectureName(string modelType, HfTask task) => Lookup(modelType).ClassPrefix + task switch
    {
        HfTask.Base => "Model",
        HfTask.QuestionAnswering => "ForQuestionAnswering",
        HfTask.SequenceClassification => "ForSequenceClassification",
        HfTask.TokenClassification => "ForTokenClassification",
        HfTask.MaskedLM => "ForMaskedLM",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task"),
    };

    /// <summary>
    /// The task named by the config's first "architectures" entry; <see cref="HfTask.Base"/> when absent or when
    /// it names a class without a head here (e.g. BertForPreTraining: its encoder loads, its heads are reported unused).
    /// </summary>
    public static HfTask TaskOf(BertConfig config)
    {
        var arch = config.Architectures is { Length: > 0 } a ? a[0] : null;
        if (arch is null) return HfTask.Base;
        foreach (var task in Enum.GetValues<HfTask>())
            if (arch.EndsWith(ArchitectureName(config.ModelType, task)[Lookup(config.ModelType).ClassPrefix.Length..], StringComparison.Ordinal))
                return task;
        return HfTask.Base;
    }

    private static (string ClassPrefix, EncoderBuilder Build) Lookup(string modelType)
    {
        lock (Registry)
            return Registry.TryGetValue(modelType, out var entry)
                ? entry
                : throw new NotSupportedException($"unknown model_type \"{modelType}\" (registered: {string.Join(", ", Registry.Keys.Order())})");
    }
}
