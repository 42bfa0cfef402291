using CogLtx.Text.Documents;

namespace CogLtx.Splitter;

/// <summary>
/// What a splitter writes onto the blocks it makes (spec §1 "Properties"; buffer.py's <c>properties</c> tuples).
/// Sentence-level values ((name, value) in the reference) go onto every block of the sentence (mode S) or text
/// (mode D); the answer positions ((name, tokenIndex, value)) go only onto the block holding that token, stored as the
/// index relative to the block start.
/// </summary>
public sealed record BlockProperties
{
    /// <summary>Document blocks without labels or origin.</summary>
    public static BlockProperties Document { get; } = new();

    /// <summary>Query or document.</summary>
    public BlockKind Kind { get; init; } = BlockKind.Document;

    /// <summary>Initial relevance (NewsQA answer line 3, HotpotQA supporting fact 1, query 3/2; default 0).</summary>
    public int Relevance { get; init; }

    /// <summary>Class id the block carries, or null.</summary>
    public int? Label { get; init; }

    /// <summary>Label name the block carries, or null.</summary>
    public string? LabelName { get; init; }

    /// <summary>Id of the example the block belongs to, or null.</summary>
    public string? ExampleId { get; init; }

    /// <summary>Where the block's text comes from, or null.</summary>
    public BlockOrigin? Origin { get; init; }

    /// <summary>Token index of the answer's first token in the sentence (mode S) or text (mode D), if any.</summary>
    public int? AnswerStartToken { get; init; }

    /// <summary>
    /// The answer's character span in the source text, for callers that split raw text (<see cref="BlockSplitter"/>):
    /// the splitter resolves it against the tokens it actually makes blocks of (mode S tokenizes each sentence on its
    /// own, so the whole text's token indices do not apply) and sets <see cref="AnswerStartToken"/> and
    /// <see cref="AnswerEndToken"/> from it (spec §1). Null = use those indices as given.
    /// </summary>
    public CharSpan? AnswerSpan { get; init; }

    /// <summary>Token index of the answer's last token in the sentence (mode S) or text (mode D), if any.</summary>
    public int? AnswerEndToken { get; init; }
}
