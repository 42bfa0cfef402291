using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Reasoner;

/// <summary>
/// Reasoner targets and crucial blocks of one assembled input (spec §4; models.py <c>QAReasoner.export_labels</c>,
/// <c>ClassificationReasoner.export_labels</c>).
/// </summary>
public static class ReasonerTargets
{
    /// <summary>
    /// Start and end token positions in z+: the offset of the block carrying the answer's first (last) token plus its
    /// index inside the block; 0 (<c>&lt;s&gt;</c>, "answer not in z") when no block of the input carries it; when several
    /// blocks carry it, the last one wins (the reference overwrites while scanning). Query blocks may carry the
    /// yes / no / no-answer slots exactly like document blocks.
    /// </summary>
    public static (int Start, int End) Span(AssembledInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int start = 0, end = 0;
        for (var i = 0; i < input.Blocks.Length; i++)
        {
            var block = input.Blocks[i];
            var offset = input.BlockSpans[i].Start;
            if (block.AnswerStart is { } s) start = offset + s;
            if (block.AnswerEnd is { } e) end = offset + e;
        }
        return (start, end);
    }

    /// <summary>The class label carried by the input's query block (spec §4: "label read from the query block").</summary>
    public static int Label(AssembledInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var block in input.Blocks)
            if (block.Kind == BlockKind.Query && block.Label is { } label) return label;
        throw new InvalidOperationException(
            $"a classification input needs a query block carrying a label; none of its {input.Blocks.Length} blocks does " +
            $"(query blocks: {input.Blocks.Count(b => b.Kind == BlockKind.Query)})");
    }

    /// <summary>
    /// Indices (into <see cref="AssembledInput.Blocks"/>) of the blocks interventions never remove: query blocks, and
    /// for span QA the blocks carrying the answer's start or end (spec §4 "crucial").
    /// </summary>
    public static bool[] Crucial(AssembledInput input, ReasonerTask task)
    {
        ArgumentNullException.ThrowIfNull(input);
        var crucial = new bool[input.Blocks.Length];
        for (var i = 0; i < crucial.Length; i++)
        {
            var b = input.Blocks[i];
            crucial[i] = b.Kind == BlockKind.Query
                || task == ReasonerTask.SpanQa && (b.AnswerStart is not null || b.AnswerEnd is not null);
        }
        return crucial;
    }
}
