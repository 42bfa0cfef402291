using System.Collections.Immutable;

namespace CogLtx.Text.Documents;

/// <summary>
/// A block of at most <see cref="CogLtxOptions.BlockSize"/> content tokens plus one trailing separator (spec §2;
/// buffer.py <c>Block(ids, pos, blk_type, relevance, estimation, **kwargs)</c>). The reference's keyword bag is
/// replaced by explicit properties: answer positions, class label, example id and origin.
/// <para>
/// Equality is identity (the reference only defines <c>__ne__</c>, so <c>in</c> tests fall back to identity); the
/// order is (<see cref="Kind"/>, <see cref="Position"/>): query first, then reading order, given by
/// <see cref="ReadingOrder"/>. Block deliberately does not implement <see cref="IComparable{T}"/>, so no collection or
/// assertion mistakes "same key" for "same block". Two distinct blocks never share a position in a dataset built with
/// one <see cref="BlockIdCounter"/>, so the order is total there.
/// </para>
/// </summary>
public sealed class Block
{
    /// <param name="ids">Token ids including the trailing separator (and the leading [CLS] of a query's first block).</param>
    /// <param name="position">Global position from the dataset's <see cref="BlockIdCounter"/>.</param>
    /// <param name="kind">Query or document.</param>
    /// <param name="tokenOffsets">One character span per id (special tokens (0, 0)); empty spans for all ids when omitted.</param>
    /// <param name="span">The block's span of the source text: first content token's start to last content token's end.</param>
    public Block(IReadOnlyList<int> ids, long position, BlockKind kind = BlockKind.Document,
        IReadOnlyList<CharSpan>? tokenOffsets = null, CharSpan span = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) throw new ArgumentException($"block {position}: a block holds at least its separator token, got no ids", nameof(ids));
        if (tokenOffsets is not null && tokenOffsets.Count != ids.Count)
            throw new ArgumentException($"block {position}: {ids.Count} ids but {tokenOffsets.Count} token offsets", nameof(tokenOffsets));
        if (span.End < span.Start) throw new ArgumentException($"block {position}: character span {span} ends before it starts", nameof(span));
        Ids = [.. ids];
        TokenOffsets = tokenOffsets is null ? ImmutableArray.Create(new CharSpan[ids.Count]) : [.. tokenOffsets];
        Position = position;
        Kind = kind;
        Span = span;
    }

    /// <summary>Token ids, trailing separator included.</summary>
    public ImmutableArray<int> Ids { get; }

    /// <summary>Number of tokens (ids) including the separator: the block's size in working memory.</summary>
    public int Length => Ids.Length;

    /// <summary>Global position (reference <c>pos</c>): unique, increasing in reading order, the sort key.</summary>
    public long Position { get; }

    /// <summary>Query or document (reference <c>blk_type</c>).</summary>
    public BlockKind Kind { get; }

    /// <summary>Relevance label (reference <c>relevance</c>, default 0); relevant ⇔ ≥ 1. Intervention moves it in [−1, 2].</summary>
    public int Relevance { get; set; }

    /// <summary>Cached judge score (reference <c>estimation</c>, default 0): the block's mean token sigmoid from the last judge epoch.</summary>
    public float Estimation { get; set; }

    /// <summary>True when <see cref="Relevance"/> ≥ 1 (data_helper.py's filter <c>blk.relevance &gt;= 1</c>).</summary>
    public bool IsRelevant => Relevance >= 1;

    /// <summary>Character span of each token in the source text, aligned with <see cref="Ids"/>.</summary>
    public ImmutableArray<CharSpan> TokenOffsets { get; }

    /// <summary>The block's span [Start, End) of its source text (UTF-16); empty for blocks with no source text.</summary>
    public CharSpan Span { get; }

    /// <summary>Index (within this block) of the answer's first token, if this block holds it (reference property <c>start</c>).</summary>
    public int? AnswerStart { get; init; }

    /// <summary>Index (within this block) of the answer's last token, if this block holds it (reference property <c>end</c>).</summary>
    public int? AnswerEnd { get; init; }

    /// <summary>Class label carried by a query block in classification tasks (reference <c>label</c>).</summary>
    public int? Label { get; init; }

    /// <summary>Class name carried with <see cref="Label"/> (reference <c>label_name</c>).</summary>
    public string? LabelName { get; init; }

    /// <summary>Identifier of the example the block belongs to (reference <c>_id</c>).</summary>
    public string? ExampleId { get; init; }

    /// <summary>Paragraph title and sentence index (reference <c>origin</c>, HotpotQA).</summary>
    public BlockOrigin? Origin { get; init; }

    /// <summary>
    /// A new block with the same tokens, spans, properties, relevance and estimation at another position: the same
    /// text read again under another query (a multi-label document asked about each label, spec §4) without splitting
    /// it again.
    /// </summary>
    public Block CopyAt(long position) => new(Ids, position, Kind, TokenOffsets, Span)
    {
        AnswerStart = AnswerStart,
        AnswerEnd = AnswerEnd,
        Label = Label,
        LabelName = LabelName,
        ExampleId = ExampleId,
        Origin = Origin,
        Relevance = Relevance,
        Estimation = Estimation,
    };

    /// <summary>Orders by (<see cref="Kind"/>, <see cref="Position"/>) (buffer.py <c>Block.__lt__</c>).</summary>
    public static IComparer<Block> ReadingOrder { get; } = Comparer<Block>.Create(static (a, b) =>
    {
        var byKind = a.Kind.CompareTo(b.Kind);
        return byKind != 0 ? byKind : a.Position.CompareTo(b.Position);
    });

    /// <summary>Kind, position, length, relevance and estimation.</summary>
    public override string ToString() => $"{Kind} block {Position} ({Length} tokens, relevance {Relevance}, estimation {Estimation:0.###})";
}
