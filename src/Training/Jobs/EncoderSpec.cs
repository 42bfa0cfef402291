namespace CogLtx.Training.Jobs;

/// <summary>
/// Where a job's encoders start: a fresh BERT of the given size over a vocabulary built from the training texts (or
/// <see cref="Tokenizer"/>), or a pretrained checkpoint (<see cref="Pretrained"/>), which brings its own sizes and
/// vocabulary. <c>cogltx train</c>'s recipe holds one as its <c>model</c>; <c>cogltx experiment</c> makes one from its
/// <c>encoder</c>, <c>model</c> and <c>vocab</c> sections.
/// </summary>
public sealed record EncoderSpec
{
    /// <summary>Number of layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Hidden size.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Number of attention heads.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Feed-forward width.</summary>
    public int Intermediate { get; init; } = 512;

    /// <summary>Dropout probability.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Largest vocabulary built from the training data (fresh encoders without <see cref="Tokenizer"/>).</summary>
    public int VocabSize { get; init; } = 30_522;

    /// <summary>Words seen fewer times in the training data are left to character pieces.</summary>
    public int VocabMinFrequency { get; init; } = 1;

    /// <summary>
    /// A pretrained model name the cache knows (<c>minilm</c>, <c>arctic-xs</c>) or a Hugging Face checkpoint folder
    /// (e.g. roberta-base) that initialises both encoders; null: fresh.
    /// </summary>
    public string? Pretrained { get; init; }

    /// <summary>Tokenizer folder; default: the pretrained folder, else a WordPiece vocabulary built from the training texts.</summary>
    public string? Tokenizer { get; init; }
}
