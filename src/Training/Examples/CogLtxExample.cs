using CogLtx.Data;
using CogLtx.Text.Documents;

namespace CogLtx.Training;

/// <summary>
/// One reasoner problem as blocks: the source example, its query and document blocks, and whether it has a training
/// target (a locatable answer, a known label). A multi-label document gives one of these per (label, document) pair,
/// <see cref="LabelId"/> naming the label queried.
/// </summary>
public sealed record CogLtxExample(LongDocExample Source, ExampleBlocks Blocks, bool HasTarget, int? LabelId = null)
{
    /// <summary>Gold-relevant document blocks (relevance ≥ 1 as converted, before any training changes it).</summary>
    public IReadOnlyList<Block> GoldRelevant { get; init; } = [];

    /// <summary>The document text all block offsets point into.</summary>
    public string Text => Source.Text;
}
