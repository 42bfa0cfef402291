using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// Span extraction: <c>qa_outputs</c> Linear(H, 2) on every token → start and end logits (no dropout, no pooler).
/// Ports transformers <c>modeling_bert.py: BertForQuestionAnswering</c> and
/// <c>modeling_roberta.py: RobertaForQuestionAnswering</c> (also the CogLTX QA reasoner head).
/// </summary>
public sealed class QuestionAnsweringModel : HeadModel
{
    /// <summary>Loads or creates the encoder and <c>qa_outputs</c> under <paramref name="vb"/>.</summary>
    public QuestionAnsweringModel(BertConfig config, VarBuilder vb, Rng rng)
        : base(config, vb, rng, addPoolingLayer: false, HfTask.QuestionAnswering) =>
        QaOutputs = Child("qa_outputs", new Linear(vb.Pp("qa_outputs"), config.HiddenSize, 2, true, (float)config.InitializerRange));

    /// <summary>The head over <paramref name="encoder"/> (no pooler); <c>qa_outputs</c> from <paramref name="vb"/> (root builder).</summary>
    public QuestionAnsweringModel(BertConfig config, EncoderModel encoder, VarBuilder vb, Rng rng)
        : base(config, encoder, rng, HfTask.QuestionAnswering) =>
        QaOutputs = Child("qa_outputs", new Linear(vb.Pp("qa_outputs"), config.HiddenSize, 2, true, (float)config.InitializerRange));

    /// <summary><c>qa_outputs</c> (2, H): start and end logits.</summary>
    public Linear QaOutputs { get; }

    /// <summary>start_logits and end_logits, each (B, T).</summary>
    public (Tensor Start, Tensor End) Forward(EncoderInput input) => Span(Encoder.Forward(input));

    /// <summary>The head alone: (B, T, H) → start (B, T), end (B, T); channel 0 = start, 1 = end.</summary>
    public (Tensor Start, Tensor End) Span(Tensor hidden)
    {
        var logits = QaOutputs.Forward(hidden); // (B, T, 2)
        var (b, t) = (hidden.Dim(0), hidden.Dim(1));
        return (Ops.Reshape(Ops.Slice(logits, 2, 0, 1), b, t), Ops.Reshape(Ops.Slice(logits, 2, 1, 1), b, t));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Run(EncoderInput input)
    {
        var (start, end) = Forward(input);
        return new Dictionary<string, Tensor> { ["start_logits"] = start, ["end_logits"] = end };
    }

    /// <summary>
    /// transformers' QA loss: positions clamped to [0, T], cross-entropy with ignore_index = T for start and for end,
    /// then (start + end)/2. A position past the sequence is thereby ignored.
    /// </summary>
    public static Tensor Loss(Tensor startLogits, Tensor endLogits, int[] startPositions, int[] endPositions)
    {
        var t = startLogits.Dim(1);
        var start = Ops.CrossEntropy(startLogits, Clamp(startPositions, t), ignoreIndex: t);
        var end = Ops.CrossEntropy(endLogits, Clamp(endPositions, t), ignoreIndex: t);
        return Ops.Scale(Ops.Add(start, end), 0.5f);
    }

    private static int[] Clamp(int[] positions, int t) => positions.Select(p => Math.Clamp(p, 0, t)).ToArray();
}
