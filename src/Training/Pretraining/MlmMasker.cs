using CogLtx.Tensors;

namespace CogLtx.Training.Pretraining;

/// <summary>
/// Draws masked-LM corruptions (<see cref="MaskingOptions"/>). Special tokens ([CLS], [SEP], [PAD], [MASK] and the
/// like, given as <c>specialIds</c>) and padding (attention mask 0) are never chosen, and a random replacement is never a
/// special token. Masking is dynamic (RoBERTa, Liu et al. 2019 §4.1): <see cref="StreamFor"/> gives every (seed, epoch,
/// sequence) its own generator, so a sequence gets a fresh mask each epoch, the same one for the same seed, and a resumed
/// run draws exactly what an uninterrupted one would.
/// </summary>
public sealed class MlmMasker
{
    /// <summary>Label of a position that is not predicted (Hugging Face's ignore index).</summary>
    public const int Ignore = -100;

    private readonly MaskingOptions options;
    private readonly int maskId;
    private readonly int vocabSize;
    private readonly HashSet<int> special;

    /// <summary>A masker for a vocabulary of <paramref name="vocabSize"/> ids whose [MASK] is <paramref name="maskId"/>; <paramref name="specialIds"/> are never chosen or drawn as random replacements.</summary>
    public MlmMasker(MaskingOptions options, int maskId, int vocabSize, IEnumerable<int> specialIds)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Validate();
        if (maskId < 0 || maskId >= vocabSize) throw new ArgumentOutOfRangeException(nameof(maskId), maskId, $"mask id outside the vocabulary of {vocabSize}");
        this.maskId = maskId;
        this.vocabSize = vocabSize;
        special = [.. specialIds, maskId];
        if (special.Count >= vocabSize) throw new ArgumentException("every vocabulary id is special: no random replacement possible", nameof(specialIds));
    }

    /// <summary>The proportions this masker draws with.</summary>
    public MaskingOptions Options => options;

    /// <summary>
    /// A generator for sequence <paramref name="index"/> in <paramref name="epoch"/> of a run seeded <paramref name="seed"/>
    /// (splitmix-style mixing of the three; epoch −1 is used for the fixed held-out masks).
    /// </summary>
    public static Rng StreamFor(ulong seed, int epoch, int index)
    {
        var x = seed;
        x = Mix(x ^ (ulong)(uint)epoch);
        x = Mix(x ^ ((ulong)(uint)index << 32));
        return new Rng(x);
    }

    /// <summary>
    /// Corrupts <paramref name="ids"/>. <paramref name="attentionMask"/> (1 real, 0 padding) and
    /// <paramref name="wordStarts"/> (true where a token begins a word; needed for whole-word masking) may be empty.
    /// When the draw chooses nothing although some token is eligible, one eligible token (or word) is chosen uniformly,
    /// so that every sequence contributes to the loss (an all-ignored batch would make the mean loss 0/0).
    /// </summary>
    public MaskedSequence Mask(ReadOnlySpan<int> ids, ReadOnlySpan<int> attentionMask, ReadOnlySpan<bool> wordStarts, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!attentionMask.IsEmpty && attentionMask.Length != ids.Length)
            throw new ArgumentException($"attention mask has {attentionMask.Length} entries, ids {ids.Length}", nameof(attentionMask));
        if (options.WholeWord && wordStarts.Length != ids.Length)
            throw new ArgumentException($"whole-word masking needs a word-start flag per token: {wordStarts.Length} flags, {ids.Length} ids", nameof(wordStarts));
        var eligible = new bool[ids.Length];
        for (var i = 0; i < ids.Length; i++)
            eligible[i] = !special.Contains(ids[i]) && (attentionMask.IsEmpty || attentionMask[i] != 0);
        var units = Units(eligible, wordStarts);
        var chosen = new bool[ids.Length];
        var any = false;
        foreach (var (start, end) in units)
        {
            if (rng.NextDouble() >= options.Probability) continue;
            for (var i = start; i < end; i++) chosen[i] = true;
            any = true;
        }
        if (!any && units.Count > 0)
        {
            var (start, end) = units[rng.NextInt(units.Count)];
            for (var i = start; i < end; i++) chosen[i] = true;
        }

        var input = ids.ToArray();
        var labels = new int[ids.Length];
        Array.Fill(labels, Ignore);
        for (var i = 0; i < ids.Length; i++)
        {
            if (!chosen[i]) continue;
            labels[i] = ids[i];
            var u = rng.NextDouble();
            if (u < options.MaskFraction) input[i] = maskId;
            else if (u < options.MaskFraction + options.RandomFraction) input[i] = RandomToken(rng);
        }
        return new MaskedSequence(input, labels);
    }

    /// <summary>The units a choice is made for: single eligible tokens, or runs of eligible tokens forming one word.</summary>
    private List<(int Start, int End)> Units(bool[] eligible, ReadOnlySpan<bool> wordStarts)
    {
        var units = new List<(int, int)>();
        for (var i = 0; i < eligible.Length;)
        {
            if (!eligible[i]) { i++; continue; }
            var end = i + 1;
            if (options.WholeWord)
                while (end < eligible.Length && eligible[end] && !wordStarts[end]) end++;
            units.Add((i, end));
            i = end;
        }
        return units;
    }

    private int RandomToken(Rng rng)
    {
        while (true)
        {
            var id = rng.NextInt(vocabSize);
            if (!special.Contains(id)) return id;
        }
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
