using CogLtx.MemRecall;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Judge;

/// <summary>
/// The judge (spec §4; CogLTX models.py <c>Introspector</c>): a Hugging Face <see cref="TokenClassificationModel"/>
/// with one label (transformers' <c>RobertaForTokenClassification</c> / <c>BertForTokenClassification</c>): encoder →
/// dropout 0.1 → <c>classifier = Linear(H, 1)</c> on every token. A token's relevance score is σ(logit); a block's score
/// is the mean over its tokens (<see cref="BlockScores.FromTokens"/>). Keys: <c>{prefix}.*</c> for the encoder (<c>roberta</c> /
/// <c>bert</c>), <c>classifier.*</c>. The config saved beside it says <c>classifier_dropout: 0.1</c>, so transformers
/// builds the same head. Spec §9.11: one linear layer, not the paper's "MLP".
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
        var config = encoder.Config with { NumLabelsField = 1, Id2Label = null, Label2Id = null, ClassifierDropout = HeadDropout, Architectures = null };
        Head = Child("", new TokenClassificationModel(config, encoder, vb, rng));
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

    /// <summary>The Hugging Face head model this judge is (its parameters are the judge's).</summary>
    public TokenClassificationModel Head { get; }

    /// <summary>transformers class whose checkpoint layout this model shares (written to config.json "architectures").</summary>
    public string Architecture => Head.Architecture;

    /// <summary>The encoder's config with <c>num_labels = 1</c> and <c>classifier_dropout = 0.1</c>, as saved next to the weights.</summary>
    public BertConfig Config => Head.Config;

    /// <summary>The judge's encoder.</summary>
    public EncoderModel Encoder => Head.Encoder;

    /// <summary>Dropout before the classifier.</summary>
    public Dropout Dropout => Head.Dropout;

    /// <summary>Linear(H, 1): weight (1, H), bias (1).</summary>
    public Linear Classifier => Head.Classifier;

    /// <summary>Per-token logits (B, T).</summary>
    public Tensor Forward(EncoderInput input) =>
        Ops.Reshape(Head.Forward(input), input.Batch, input.Length);    // (B, T, 1) → (B, T)

    /// <summary>
    /// Judge loss (models.py <c>Introspector.forward</c> with labels): BCE-with-logits averaged over the tokens whose
    /// attention mask is 1 (<see cref="TokenClassificationModel.BinaryLoss"/>).
    /// </summary>
    public static Tensor Loss(Tensor logits, JudgeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return TokenClassificationModel.BinaryLoss(logits, batch.Labels, batch.LossMask);
    }

    /// <summary>
    /// Block scores (<see cref="BlockScores.FromTokens"/>: mean token σ; query blocks 1) of each input, from one forward
    /// over the padded batch without recording gradients. Runs in the current mode: callers put the judge in eval mode
    /// for inference.
    /// </summary>
    public float[][] ScoreBlocks(IReadOnlyList<AssembledInput> rows)
    {
        var batch = JudgeBatch.Create(rows, Encoder.PadTokenId);
        using (Inference()) return BlockScoresOf(Forward(batch.Input), batch);
    }

    /// <summary>Block scores of each row of <paramref name="batch"/> from already computed logits (B, T).</summary>
    public static float[][] BlockScoresOf(Tensor logits, JudgeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var tokens = JudgeScorer.TokenScores(logits, batch.Rows);
        return [.. batch.Rows.Select((row, b) => BlockScores.FromTokens(row, tokens[b]))];
    }
}
