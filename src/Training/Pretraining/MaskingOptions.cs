namespace CogLtx.Training.Pretraining;

/// <summary>
/// Masked-language-model corruption (BERT, Devlin et al. 2019 §3.1; transformers
/// <c>DataCollatorForLanguageModeling</c>): each eligible token is chosen with <see cref="Probability"/>; a chosen
/// token becomes the mask token with <see cref="MaskFraction"/>, a random token with <see cref="RandomFraction"/>, and
/// stays as it is otherwise. With <see cref="WholeWord"/> the choice is made per word and every piece of a chosen word is
/// chosen (transformers <c>DataCollatorForWholeWordMask</c>); the 80/10/10 split is still drawn per token.
/// </summary>
public sealed record MaskingOptions
{
    /// <summary>Share of the non-special tokens chosen for prediction (BERT: 0.15).</summary>
    public double Probability { get; init; } = 0.15;

    /// <summary>Of the chosen tokens, the share replaced by [MASK] (BERT: 0.8).</summary>
    public double MaskFraction { get; init; } = 0.8;

    /// <summary>Of the chosen tokens, the share replaced by a random token (BERT: 0.1); the rest are kept.</summary>
    public double RandomFraction { get; init; } = 0.1;

    /// <summary>Choose whole words: every piece of a word is chosen with its first piece.</summary>
    public bool WholeWord { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range; returns this.</summary>
    public MaskingOptions Validate()
    {
        if (!(Probability is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "mask probability must be in (0, 1]");
        if (!(MaskFraction >= 0 && RandomFraction >= 0 && MaskFraction + RandomFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaskFraction), $"mask fraction {MaskFraction} and random fraction {RandomFraction} must be ≥ 0 and sum to ≤ 1");
        return this;
    }
}

/// <summary>One corrupted sequence: the model's input and the labels (the original id where chosen, −100 elsewhere).</summary>
public sealed record MaskedSequence(int[] InputIds, int[] Labels);
