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
    public static BlockProperties Document { get; } = new();

    public BlockKind Kind { get; init; } = BlockKind.Document;

    /// <summary>Initial relevance (NewsQA answer line 3, HotpotQA supporting fact 1, query 3/2; default 0).</summary>
    public int Relevance { get; init; }

    public int? Label { get; init; }

    public string? LabelName { get; init; }

    public string? ExampleId { get; init; }

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
