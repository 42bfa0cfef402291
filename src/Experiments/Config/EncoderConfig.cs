namespace CogLtx.Experiments.Config;

/// <summary>
/// Where every method's encoder starts: trained from scratch at the <c>model</c> section's size with a vocabulary
/// built from the training texts (<c>pretrained</c> null), or a pretrained BERT — a model name the cache knows
/// (<c>minilm</c>, <c>arctic-xs</c>: <c>cogltx models list</c>) or a Hugging Face checkpoint folder. A pretrained
/// encoder brings its own sizes and vocabulary, so the <c>model</c> and <c>vocab</c> sections are not used; CogLTX's
/// judge and reasoner and every baseline start from its weights (Longformer from those weights converted).
/// </summary>
public sealed record EncoderConfig
{
    /// <summary>A pretrained model name or a Hugging Face checkpoint folder; null: train from scratch.</summary>
    public string? Pretrained { get; init; }

    internal void Validate(ConfigErrors errors)
    {
        errors.Check(Pretrained is null || Pretrained.Trim().Length > 0, "encoder.pretrained", "must be a model name, a folder or null, got an empty string");
    }
}
