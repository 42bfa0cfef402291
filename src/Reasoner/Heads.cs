using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Reasoner;

/// <summary>
/// Span-QA head (transformers <c>RobertaForQuestionAnswering.qa_outputs</c>; models.py <c>QAReasoner</c>):
/// Linear(H, 2) on every token, no dropout; channel 0 = start logit, 1 = end logit. Key: <c>qa_outputs.*</c>.
/// </summary>
public sealed class SpanQaHead : Module
{
    public SpanQaHead(VarBuilder vb, int hidden, float initStd = 0.02f) =>
        QaOutputs = Child("qa_outputs", new Linear(vb.Pp("qa_outputs"), hidden, 2, true, initStd));

    public Linear QaOutputs { get; }

    /// <summary>(B, T, H) → start (B, T), end (B, T).</summary>
    public (Tensor Start, Tensor End) Forward(Tensor hidden)
    {
        int b = hidden.Dim(0), t = hidden.Dim(1);
        var logits = QaOutputs.Forward(hidden);                            // (B, T, 2)
        var start = Ops.Reshape(Ops.Slice(logits, 2, 0, 1), b, t);
        var end = Ops.Reshape(Ops.Slice(logits, 2, 1, 1), b, t);
        return (start, end);
    }
}

/// <summary>
/// RoBERTa's classification head on the first token (transformers <c>modeling_roberta.py:
/// RobertaClassificationHead</c>): dropout → dense(H, H) → tanh → dropout → out_proj(H, C).
/// Keys: <c>classifier.dense.*</c>, <c>classifier.out_proj.*</c>. Used for BERT encoders too (no pooler).
/// </summary>
public sealed class ClassificationHead : Module
{
    public ClassificationHead(VarBuilder vb, int hidden, int numLabels, float dropout, Rng rng, float initStd = 0.02f)
    {
        if (numLabels < 1) throw new ArgumentOutOfRangeException(nameof(numLabels), numLabels, "a classification head needs at least one label");
        Dropout = Child("dropout", new Dropout(dropout, rng));
        Dense = Child("dense", new Linear(vb.Pp("dense"), hidden, hidden, true, initStd));
        OutProj = Child("out_proj", new Linear(vb.Pp("out_proj"), hidden, numLabels, true, initStd));
    }

    public Dropout Dropout { get; }
    public Linear Dense { get; }
    public Linear OutProj { get; }

    public int NumLabels => OutProj.OutFeatures;

    /// <summary>(B, T, H) → logits (B, C), from h[:, 0].</summary>
    public Tensor Forward(Tensor hidden)
    {
        int b = hidden.Dim(0), h = hidden.Dim(2);
        var first = Ops.Reshape(Ops.Slice(hidden, 1, 0, 1), b, h);       // (B, H)
        var x = Ops.Tanh(Dense.Forward(Dropout.Forward(first)));
        return OutProj.Forward(Dropout.Forward(x));
    }
}
