namespace CogLtx.Training.Pretraining;

/// <summary>
/// Masked-LM pre-training settings. Defaults follow BERT/RoBERTa where a small CPU budget allows: 512-token packed
/// sequences, AdamW (β 0.9/0.999, ε 1e-8 as torch; weight decay 0.01 without biases and LayerNorm weights), linear warm-up
/// over <see cref="WarmupFraction"/> of the steps then linear decay to 0 (transformers'
/// <c>get_linear_schedule_with_warmup</c>), global-norm clipping at 1.
/// </summary>
public sealed record PretrainOptions
{
    /// <summary>Tokens per packed sequence, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Sequences per forward pass.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches per optimizer step.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Peak AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>AdamW weight decay (not on biases and LayerNorm).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Share of the steps with linear warm-up; linear decay to 0 after it.</summary>
    public double WarmupFraction { get; init; } = 0.06;

    /// <summary>Gradient-norm clipping threshold (0: none).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Optimizer steps of the whole run (the schedule's length); null: <see cref="Epochs"/> passes over the training
    /// sequences; 0: no training, the starting model is written as it is (the no-pre-training control of a from-scratch run).
    /// </summary>
    public int? Steps { get; init; }

    /// <summary>Passes over the training sequences.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Held-out evaluation every this many steps (and before the first and after the last); 0: only those two.</summary>
    public int EvalEverySteps { get; init; } = 50;

    /// <summary>At most this many held-out sequences are evaluated (the first ones, with fixed masks).</summary>
    public int EvalSequences { get; init; } = 64;

    /// <summary>Share of the corpus documents held out from training.</summary>
    public double HeldOutFraction { get; init; } = 0.02;

    /// <summary>Write a checkpoint every this many optimizer steps (and at the end).</summary>
    public int CheckpointEverySteps { get; init; } = 100;

    /// <summary>Stop (with a checkpoint) once the run has taken this many steps; 0: run to the end.</summary>
    public int StopAfterSteps { get; init; }

    /// <summary>
    /// Train the masked-LM head's transform and bias only; the encoder and the word embeddings (the tied decoder) stay
    /// as they are. A first stage for a fresh head on a pretrained encoder, so that the head's random early gradients do
    /// not reach the encoder (linear probing before fine-tuning, Kumar et al., ICLR 2022); a second run with
    /// <c>--model</c> on its output then trains everything.
    /// </summary>
    public bool FreezeEncoder { get; init; }

    /// <summary>Seed of the masks, the sequence order and (for a fresh model) the initialisation.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How tokens are chosen and replaced.</summary>
    public MaskingOptions Masking { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range; returns this.</summary>
    public PretrainOptions Validate()
    {
        static void Positive(int value, string name)
        {
            if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ 1");
        }
        Positive(MaxLength - 2, "max length − 2");
        Positive(BatchSize, nameof(BatchSize));
        Positive(AccumulationSteps, nameof(AccumulationSteps));
        Positive(Epochs, nameof(Epochs));
        Positive(EvalSequences, nameof(EvalSequences));
        if (Steps is < 0 || EvalEverySteps < 0 || CheckpointEverySteps < 0 || StopAfterSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(Steps), "steps, eval-every, checkpoint-every and stop-after must be ≥ 0");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be > 0");
        if (!(WarmupFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(WarmupFraction), WarmupFraction, "warm-up fraction must be in [0, 1]");
        if (!(HeldOutFraction is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(HeldOutFraction), HeldOutFraction, "held-out fraction must be in (0, 1)");
        Masking.Validate();
        return this;
    }
}
