namespace CogLtx.Data;

/// <summary>
/// Controls of the synthetic long-document tasks (<see cref="SyntheticTasks"/>). Lengths count basic tokens (words
/// and punctuation marks, <see cref="BasicTokenization"/>), which equal WordPiece tokens under a vocabulary built
/// from the corpus. Same options (seed included) → identical datasets.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Seed of every random draw of the generator.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of training documents.</summary>
    public int TrainCount { get; init; } = 200;

    /// <summary>Number of test documents.</summary>
    public int TestCount { get; init; } = 50;

    /// <summary>Shortest document, in tokens (uniform between this and <see cref="MaxTokens"/>).</summary>
    public int MinTokens { get; init; } = 2_000;

    /// <summary>Longest document, in tokens.</summary>
    public int MaxTokens { get; init; } = 8_000;

    /// <summary>
    /// Fraction of each split (rounded to whole documents) whose evidence sentences all start at or after token
    /// <see cref="LateEvidenceStart"/>, out of reach of a 512-token truncation; the other documents hold all their
    /// evidence within the first <see cref="EarlyEvidenceEnd"/> tokens, where truncation sees it.
    /// </summary>
    public double LateEvidenceFraction { get; init; } = 0.9;

    /// <summary>Late evidence starts at or after this token.</summary>
    public int LateEvidenceStart { get; init; } = 512;

    /// <summary>Early evidence ends by this token, leaving room for [CLS], a question and [SEP] inside 512.</summary>
    public int EarlyEvidenceEnd { get; init; } = 400;

    /// <summary>Classification: how many key sentences carry the label.</summary>
    public int EvidenceSentences { get; init; } = 3;

    /// <summary>Classification: number of classes (2 to <see cref="SyntheticTasks.MaxClasses"/>).</summary>
    public int ClassCount { get; init; } = 4;

    internal void Validate()
    {
        if (TrainCount < 0 || TestCount < 0) throw new ArgumentOutOfRangeException(nameof(TrainCount), $"counts must be ≥ 0, got {TrainCount}/{TestCount}");
        if (MinTokens > MaxTokens) throw new ArgumentOutOfRangeException(nameof(MinTokens), $"MinTokens {MinTokens} > MaxTokens {MaxTokens}");
        if (MinTokens < LateEvidenceStart + 100)
            throw new ArgumentOutOfRangeException(nameof(MinTokens), $"MinTokens {MinTokens} leaves no room for evidence after token {LateEvidenceStart}; use at least {LateEvidenceStart + 100}");
        if (LateEvidenceFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(LateEvidenceFraction), $"must be in [0, 1], got {LateEvidenceFraction}");
        if (EarlyEvidenceEnd < 60 || EarlyEvidenceEnd > LateEvidenceStart)
            throw new ArgumentOutOfRangeException(nameof(EarlyEvidenceEnd), $"must be in [60, {LateEvidenceStart}], got {EarlyEvidenceEnd}");
        if (EvidenceSentences is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(EvidenceSentences), $"must be 1 to 5, got {EvidenceSentences}");
        if (ClassCount < 2 || ClassCount > SyntheticTasks.MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(ClassCount), $"must be 2 to {SyntheticTasks.MaxClasses}, got {ClassCount}");
    }
}
