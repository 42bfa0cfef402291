namespace CogLtx.Text.Documents;

/// <summary>
/// Role of a block in z+ (spec §2; buffer.py <c>blk_type</c>: 0 = query, 1 = document). Query blocks sort before
/// document blocks, so every assembled input starts with the query.
/// </summary>
public enum BlockKind
{
    /// <summary>The query (question or label name).</summary>
    Query = 0,
    /// <summary>A block of the document.</summary>
    Document = 1,
}

/// <summary>A span [Start, End) of UTF-16 code units in a source text; special tokens carry the empty span (0, 0), as in Hugging Face offset mappings.</summary>
public readonly record struct CharSpan(int Start, int End)
{
    /// <summary>Number of characters.</summary>
    public int Length => End - Start;

    /// <summary>True when the span holds no character.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>The span as <c>[start, end)</c>.</summary>
    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>A span [Start, End) of token positions in an assembled input.</summary>
public readonly record struct TokenSpan(int Start, int End)
{
    /// <summary>Number of tokens.</summary>
    public int Length => End - Start;

    /// <summary>The span as <c>[start, end)</c>.</summary>
    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>Where a block came from (spec §1 properties: HotpotQA <c>origin</c> = (paragraph title, sentence index)).</summary>
public sealed record BlockOrigin(string Title, int SentenceIndex);
