using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Tensors;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines;

/// <summary>
/// Baselines that read one input row per example (truncation, Longformer): the row is [CLS] Q [SEP] + the kept
/// document tokens + [SEP]; the reasoner's head scores it directly. A span-QA answer outside the kept tokens is
/// targeted at [CLS] (position 0) in training, so the model learns to say "not here"; at prediction the best
/// well-formed span of the row is the answer (spec §6 decoding).
/// </summary>
public abstract class SingleInputBaseline : LongTextBaseline
{
    private protected SingleInputBaseline(string name, ReasonerModel model, SpecialTokens specials, int maxLength)
        : base(name, model, specials, maxLength)
    {
    }

    /// <summary>The one row the baseline builds for <paramref name="example"/>.</summary>
    public abstract InputView View(BaselineExample example);

    /// <summary>Global-attention mask of a row (Longformer); null for dense encoders.</summary>
    private protected virtual int[]? GlobalAttention(InputView view) => null;

    public override int InputTokens(BaselineExample example) => View(example).Length;

    public override Tensor Loss(IReadOnlyList<BaselineExample> batch)
    {
        CheckTargets(batch);
        var reasonerBatch = MakeBatch([.. batch.Select(View)], batch, GlobalAttention);
        return ReasonerModel.Loss(Model.Forward(reasonerBatch), reasonerBatch);
    }

    public override IReadOnlyList<BaselinePrediction> Predict(IReadOnlyList<BaselineExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        var views = batch.Select(View).ToList();
        var reasonerBatch = MakeBatch(views, batch, GlobalAttention);
        using var _ = Model.Inference();
        var output = Model.Forward(reasonerBatch);
        var t = reasonerBatch.Input.Length;
        var predictions = new BaselinePrediction[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            if (!IsSpanQa)
            {
                var classes = output.Logits!.Dim(1);
                predictions[r] = ClassPrediction(output.Logits.Data.AsSpan(r * classes, classes));
                continue;
            }
            var view = views[r];
            var span = SpanDecoder.Decode(output.StartLogits!.Data.AsSpan(r * t, t), output.EndLogits!.Data.AsSpan(r * t, t), view.Layout, Decoding);
            var answer = span.Kind == AnswerKind.Span
                ? new SpanAnswer(AnswerKind.Span, view.DocumentIndex[span.Start], view.DocumentIndex[span.End], span.Score)
                : new SpanAnswer(span.Kind, -1, -1, span.Score);
            predictions[r] = new BaselinePrediction(-1, [], answer);
        }
        return predictions;
    }
}

/// <summary>
/// Truncation baselines: one <see cref="LongTextBaseline.MaxLength"/>-token input holding the head, the tail, or head +
/// tail of the document (<see cref="Truncation"/>). What BERT does when a text is too long, and what CogLTX is
/// measured against on documents whose evidence lies past token 512.
/// </summary>
public sealed class TruncationBaseline : SingleInputBaseline
{
    public TruncationBaseline(ReasonerModel model, Truncation truncation, SpecialTokens specials, int maxLength = 512, string? name = null)
        : base(name ?? DefaultName(truncation), model, specials, maxLength)
    {
        ArgumentNullException.ThrowIfNull(truncation);
        Truncation = truncation;
    }

    public Truncation Truncation { get; }

    public override InputView View(BaselineExample example) =>
        InputView.Build(example, Truncation.Select(example.DocumentIds.Length, DocumentBudget(example)), Specials);

    /// <summary>"head", "tail" or "head-tail".</summary>
    public static string DefaultName(Truncation truncation) => truncation.Kind switch
    {
        TruncationKind.Head => "head",
        TruncationKind.Tail => "tail",
        _ => "head-tail",
    };
}
