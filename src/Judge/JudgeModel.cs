using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Judge;

/// <summary>
/// The judge (spec §4; CogLTX models.py <c>Introspector</c>, shaped like transformers'
/// <c>RobertaForTokenClassification</c> with one label): encoder → dropout 0.1 → <c>classifier = Linear(H, 1)</c>
/// on every token. A token's relevance score is σ(logit); a block's score is the mean over its tokens
/// (<see cref="BlockScoring"/>). Keys: <c>{prefix}.*</c> for the encoder (<c>roberta</c> / <c>bert</c>), <c>classifier.*</c>.
/// Spec §9.11: one linear layer, not the paper's "MLP".
/// </summary>
public sealed class JudgeModel : Module
{
    /// <summary>Dropout before the classifier (models.py <c>torch.nn.Dropout(0.1)</c>).</summary>
    public const float HeadDropout = 0.1f;

    /// <param name="encoder">The encoder; its parameters are saved under its config's <c>base_model_prefix</c> ("roberta", "bert").</param>
    /// <param name="vb">Root builder of the judge checkpoint; the head is read from <c>classifier.*</c> (or created N(0, initializer_range²)).</param>
    /// <param name="rng">Draws the head's dropout masks.</param>
    public JudgeModel(EncoderModel encoder, VarBuilder vb, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vb);
        Encoder = encoder;
        Child(encoder.Config.BaseModelPrefix, encoder);
        Dropout = Child("dropout", new Dropout(HeadDropout, rng));
        Classifier = Child("classifier", new Linear(vb.Pp("classifier"), encoder.HiddenSize, 1, true, (float)encoder.Config.InitializerRange));
    }

    /// <summary>
    /// A judge for <paramref name="config"/>: the encoder from <c>{prefix}.*</c> of <paramref name="vb"/> (no pooler,
    /// as <c>RobertaForTokenClassification</c>), the head from <c>classifier.*</c>; encoder and head dropout draw from
    /// <paramref name="rng"/>.
    /// </summary>
    public static JudgeModel Create(BertConfig config, VarBuilder vb, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        var encoder = EncoderFactory.CreateEncoder(config, vb.Pp(config.BaseModelPrefix), rng, addPoolingLayer: false);
        return new JudgeModel(encoder, vb, rng);
    }

    /// <summary>transformers class whose checkpoint layout this model shares (written to config.json "architectures").</summary>
    public string Architecture => EncoderFactory.ArchitectureName(Config.ModelType, HfTask.TokenClassification);

    /// <summary>The encoder's config with <c>num_labels = 1</c>, as saved next to the weights.</summary>
    public BertConfig Config => Encoder.Config with { NumLabelsField = 1, Id2Label = null, Label2Id = null };

    public EncoderModel Encoder { get; }

    public Dropout Dropout { get; }

    /// <summary>Linear(H, 1): weight (1, H), bias (1).</summary>
    public Linear Classifier { get; }

    /// <summary>Per-token logits (B, T).</summary>
    public Tensor Forward(EncoderInput input)
    {
        var hidden = Encoder.Forward(input);                          // (B, T, H)
        var logits = Classifier.Forward(Dropout.Forward(hidden));     // (B, T, 1)
        return Ops.Reshape(logits, input.Batch, input.Length);       // (B, T)
    }

    /// <summary>
    /// Judge loss (models.py <c>Introspector.forward</c> with labels): BCE-with-logits averaged over the tokens whose
    /// attention mask is 1, i.e. Σ bce(logit, label)·mask / Σ mask.
    /// </summary>
    public static Tensor Loss(Tensor logits, JudgeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Loss(logits, batch.Labels, batch.LossMask);
    }

    /// <summary>The judge loss for explicit per-token <paramref name="labels"/> and <paramref name="mask"/>, laid out as <paramref name="logits"/>.</summary>
    public static Tensor Loss(Tensor logits, float[] labels, float[] mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (labels.Length != logits.Size || mask.Length != logits.Size)
            throw new ArgumentException($"judge loss: {logits.Size} logits, {labels.Length} labels, {mask.Length} mask entries");
        var sum = 0f;
        foreach (var m in mask) sum += m;
        if (sum <= 0) throw new ArgumentException("judge loss: the mask selects no token (the mean over zero tokens is undefined)");
        return Ops.BceWithLogits(logits, new Tensor(labels, logits.Shape), new Tensor(mask, logits.Shape));
    }

    /// <summary>
    /// Block scores (mean token σ, <see cref="BlockScoring"/>) of each input, from one forward over the padded batch
    /// without recording gradients. Runs in the current mode: callers put the judge in eval mode for inference.
    /// </summary>
    public float[][] ScoreBlocks(IReadOnlyList<AssembledInput> rows)
    {
        var batch = JudgeBatch.Create(rows, Encoder.PadTokenId);
        Tensor logits;
        using (Autograd.NoGrad()) logits = Forward(batch.Input);
        return BlockScoresOf(logits, batch);
    }

    /// <summary>Block scores of each row of <paramref name="batch"/> from already computed logits (B, T).</summary>
    public static float[][] BlockScoresOf(Tensor logits, JudgeBatch batch)
    {
        var length = batch.Input.Length;
        var result = new float[batch.Rows.Count][];
        for (var b = 0; b < result.Length; b++)
            result[b] = BlockScoring.Scores(logits.Data.AsSpan(b * length, length), batch.Rows[b]);
        return result;
    }
}
