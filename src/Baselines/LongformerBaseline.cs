using CogLtx.Models;
using CogLtx.Models.Longformer;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines;

/// <summary>
/// Longformer baseline (Beltagy et al. 2020; [P] Fig. 6 compares its memory): the whole document (up to
/// <see cref="LongTextBaseline.MaxLength"/> tokens, head-truncated beyond) in one input, banded self-attention of
/// <c>attention_window</c> tokens plus global attention on [CLS] (classification) or on [CLS], the question and its
/// [SEP] (span QA), as transformers' <c>LongformerForSequenceClassification</c> / <c>LongformerForQuestionAnswering</c>
/// set it. Built from a BERT/RoBERTa reasoner by <see cref="LongformerConverter"/> (positions repeated, global
/// projections copied from the local ones) with the reasoner's head copied, so it starts from CogLTX's initial
/// reasoner weights.
/// </summary>
public sealed class LongformerBaseline : SingleInputBaseline
{
    private LongformerBaseline(ReasonerModel model, SpecialTokens specials, int maxLength, int attentionWindow, string name)
        : base(name, model, specials, maxLength) => AttentionWindow = attentionWindow;

    /// <summary>Full attention window (tokens) of every layer.</summary>
    public int AttentionWindow { get; }

    /// <summary>
    /// Converts <paramref name="reasoner"/> (BERT or RoBERTa encoder) into a Longformer reasoner taking
    /// <paramref name="maxLength"/> tokens, copying every weight; the source is not changed. Dropout draws from
    /// <paramref name="dropoutRng"/>.
    /// </summary>
    public static LongformerBaseline FromReasoner(ReasonerModel reasoner, SpecialTokens specials, int maxLength, int attentionWindow, Rng dropoutRng,
        SpanDecodingOptions? decoding = null, string name = "longformer")
    {
        ArgumentNullException.ThrowIfNull(reasoner);
        ArgumentNullException.ThrowIfNull(dropoutRng);
        // The whole reasoner converts as a Hugging Face head checkpoint: a BERT classification head (pooler + classifier)
        // moves into Longformer's classifier.dense / classifier.out_proj, and the encoder has no pooler.
        var source = reasoner.Config with { Architectures = [reasoner.Architecture] };
        var (config, tensors) = LongformerConverter.Convert(source, reasoner.StateDict(), maxLength, attentionWindow);
        var vb = VarBuilder.FromTensors(tensors, $"{reasoner.Architecture} converted to Longformer");
        var encoder = new LongformerModel(config with { Architectures = null }, vb.Pp(LongformerConfig.ModelType), dropoutRng, addPoolingLayer: false);
        var model = new ReasonerModel(encoder, reasoner.Task, reasoner.NumLabels, vb, dropoutRng,
            reasoner.Config.Id2Label is { } names ? [.. names.OrderBy(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Value)] : null);
        if (vb.UnusedKeys.Count > 0)
            throw new InvalidOperationException($"Longformer conversion left reasoner tensors unused: {string.Join(", ", vb.UnusedKeys)}");
        model.Train(reasoner.Encoder.Training);
        return new LongformerBaseline(model, specials, maxLength, attentionWindow, name)
        {
            DropoutRng = dropoutRng,
            Decoding = decoding ?? SpanDecodingOptions.NewsQa,
        };
    }

    public override InputView View(BaselineExample example)
    {
        var n = Math.Min(example.DocumentIds.Length, DocumentBudget(example));
        return InputView.Build(example, [.. Enumerable.Range(0, n)], Specials);
    }

    /// <summary>1 on [CLS] (classification) or on the whole query part [0, QueryLength) (span QA).</summary>
    private protected override int[]? GlobalAttention(InputView view)
    {
        var global = new int[view.Length];
        var count = IsSpanQa ? view.QueryLength : 1;
        Array.Fill(global, 1, 0, count);
        return global;
    }
}
