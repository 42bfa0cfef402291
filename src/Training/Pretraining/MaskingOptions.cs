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
    public double Probability { get; init; } = 0.15;

    public double MaskFraction { get; init; } = 0.8;

    public double RandomFraction { get; init; } = 0.1;

    public bool WholeWord { get; init; }

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
