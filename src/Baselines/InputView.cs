using CogLtx.Reasoner.Decoding;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;

namespace CogLtx.Baselines;

/// <summary>
/// One encoder row built from an example and a selection of its document tokens:
/// <c>[CLS] Q [SEP] d_i0 d_i1 … [SEP]</c>, the layout CogLTX gives z+ (spec §2: the query block is [CLS] + question +
/// separator, so for classification the row starts [CLS][SEP] exactly as the 20News query block does). Each position
/// remembers which document token it holds, so answers map back to the document and gold answers into the row.
/// </summary>
public sealed class InputView
{
    private InputView(int[] ids, int queryLength, int[] documentIndex, IReadOnlyDictionary<int, AnswerKind> slots)
    {
        Ids = ids;
        QueryLength = queryLength;
        DocumentIndex = documentIndex;
        Slots = slots;
    }

    /// <summary>Token ids of the row.</summary>
    public int[] Ids { get; }

    public int Length => Ids.Length;

    /// <summary>Positions [0, QueryLength) hold [CLS], the query and its [SEP].</summary>
    public int QueryLength { get; }

    /// <summary>Document token index held at each position, −1 for [CLS], query tokens and separators.</summary>
    public int[] DocumentIndex { get; }

    /// <summary>Row position → meaning of an answer pointing there (query slots shifted past [CLS]).</summary>
    public IReadOnlyDictionary<int, AnswerKind> Slots { get; }

    /// <summary>Number of document tokens the row holds.</summary>
    public int DocumentTokens => Length - QueryLength - 1;

    /// <summary>
    /// Builds the row for <paramref name="example"/> holding the document tokens at <paramref name="documentIndices"/>
    /// (in the given order; they need not be contiguous: head+tail truncation skips the middle).
    /// </summary>
    public static InputView Build(BaselineExample example, IReadOnlyList<int> documentIndices, SpecialTokens specials)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(documentIndices);
        ArgumentNullException.ThrowIfNull(specials);
        var queryLength = example.QueryIds.Length + 2;
        var length = queryLength + documentIndices.Count + 1;
        var ids = new int[length];
        var index = new int[length];
        Array.Fill(index, -1);
        ids[0] = specials.Cls;
        example.QueryIds.CopyTo(ids, 1);
        ids[queryLength - 1] = specials.Sep;
        for (var i = 0; i < documentIndices.Count; i++)
        {
            var d = documentIndices[i];
            if ((uint)d >= (uint)example.DocumentIds.Length)
                throw new ArgumentOutOfRangeException(nameof(documentIndices), $"example {example.Id}: document token {d} outside its {example.DocumentIds.Length} tokens");
            ids[queryLength + i] = example.DocumentIds[d];
            index[queryLength + i] = d;
        }
        ids[^1] = specials.Sep;
        var slots = example.QuerySlots.Count == 0
            ? SpanLayout.NoSlots
            : example.QuerySlots.ToDictionary(kv => kv.Key + 1, kv => kv.Value);
        return new InputView(ids, queryLength, index, slots);
    }

    /// <summary>
    /// Span targets in this row: the slot position for a slot answer; the positions of the answer's first and last
    /// tokens when every answer token is in the row and contiguous; else (0, 0), "not in this input" ([CLS]), as
    /// CogLTX targets an answer missing from z (spec §4) and BERT's SQuAD windows target a window without the answer.
    /// </summary>
    public (int Start, int End) Target(AnswerTarget answer)
    {
        if (answer.QuerySlot is { } slot) return (slot + 1, slot + 1);
        var start = Array.IndexOf(DocumentIndex, answer.Start, QueryLength);
        if (start < 0) return (0, 0);
        var end = start + (answer.End - answer.Start);
        return end < Length && DocumentIndex[end] == answer.End && end >= start ? (start, end) : (0, 0);
    }

    /// <summary>The decoding layout: the final [SEP] is left out, so no span can end on it.</summary>
    public SpanLayout Layout => new(Length - 1, QueryLength, Slots);
}
