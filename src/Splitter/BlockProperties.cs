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

    /// <summary>Token index of the answer's last token in the sentence (mode S) or text (mode D), if any.</summary>
    public int? AnswerEndToken { get; init; }
}
