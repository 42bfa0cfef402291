namespace CogLtx.Text.Documents;

/// <summary>How reasoner training samples are drawn (spec §5.3, §9.2–9.4).</summary>
public enum ReasonerSamplingMode
{
    /// <summary>
    /// The §9 fixes (default): negatives ranked by their float cached score, inputs filled by tokens up to
    /// <see cref="CogLtxOptions.Capacity"/> (Algorithm 1 line 14), never a block twice in one input.
    /// </summary>
    TokenFilled,

    /// <summary>
    /// data_helper.py <c>build_promising_buffer</c> as released: at most 8 blocks per input, estimations cast to
    /// integers before ranking (so the ranking is by document order), the negative list repeated when short.
    /// </summary>
    Reference,
}

/// <summary>
/// Every CogLTX constant in one place (spec §1–§5; utils.py, buffer.py, memreplay.py, data_helper.py,
/// reasoner_module.py, initialize_relevance.py). Defaults reproduce the reference code unless a comment says the
/// default follows a §9 recommendation.
/// </summary>
public sealed record CogLtxOptions
{
    /// <summary>The paper's and the reference code's settings.</summary>
    public static CogLtxOptions Default { get; } = new();

    /// <summary>Working-memory size in tokens, query included (utils.py <c>CAPACITY</c>).</summary>
    public int Capacity { get; init; } = 512;

    /// <summary>Maximum content tokens per block, separator excluded (utils.py <c>BLOCK_SIZE</c>).</summary>
    public int BlockSize { get; init; } = 63;

    /// <summary>Blocks per training buffer in the reference samplers: <c>CAPACITY // (BLOCK_SIZE + 1)</c> = 8.</summary>
    public int MaxBlocksPerBuffer => Capacity / (BlockSize + 1);

    /// <summary>DP splitter: cost added per block (buffer.py <c>sen_cost</c>).</summary>
    public int BlockCost { get; init; } = 4;

    /// <summary>DP splitter: cost of a forced cut at a 63-token stride (buffer.py <c>break_cost</c>).</summary>
    public int ForcedCutCost { get; init; } = 8;

    /// <summary>
    /// MemRecall increments per step (memreplay.py <c>times='3,5'</c>; the paper's strides). Step k keeps
    /// |z| + RecallSteps[k] blocks; the last step returns the filled buffer unpruned, so its value is never used (spec §3).
    /// </summary>
    public IReadOnlyList<int> RecallSteps { get; init; } = [3, 5];

    /// <summary>Retrieval-competition groups scored per judge call (memreplay.py <c>batch_size_inference=16</c>).</summary>
    public int InferenceBatchSize { get; init; } = 16;

    /// <summary>Judge samples per example: n0 "continuous" (data_helper.py <c>num_samples</c> "1,1,1,1").</summary>
    public int ContinuousSamples { get; init; } = 1;

    /// <summary>Judge samples per example: n1 "relevant + random irrelevant".</summary>
    public int RelevantSamples { get; init; } = 1;

    /// <summary>Reasoner samples per example: n2 "promising" (highest cached judge score).</summary>
    public int PromisingSamples { get; init; } = 1;

    /// <summary>Reasoner samples per example: n3 "random negatives".</summary>
    public int RandomSamples { get; init; } = 1;

    /// <summary>Reasoner sampling; defaults to the §9 fixes, <see cref="ReasonerSamplingMode.Reference"/> is the compat mode.</summary>
    public ReasonerSamplingMode ReasonerSampling { get; init; } = ReasonerSamplingMode.TokenFilled;

    /// <summary>Intervention: promote when ℓ₋b − ℓ ≥ this (reasoner_module.py <c>levelup_threshold</c>, t_up).</summary>
    public float LevelUpThreshold { get; init; } = 0.2f;

    /// <summary>Intervention: demote when ℓ₋b − ℓ ≤ this (reasoner_module.py <c>leveldown_threshold</c>, t_down).</summary>
    public float LevelDownThreshold { get; init; } = -0.05f;

    /// <summary>Intervention never promotes above this relevance (reference: promote only if relevance &lt; 2).</summary>
    public int MaxRelevance { get; init; } = 2;

    /// <summary>Intervention never demotes below this relevance (reference: demote only if relevance &gt; −1).</summary>
    public int MinRelevance { get; init; } = -1;

    /// <summary>Ablated copies per reasoner forward in interventions (reference: 4 × per-GPU batch 4).</summary>
    public int InterventionChunkSize { get; init; } = 16;

    /// <summary>
    /// First 0-based epoch whose intervention changes are applied. The reference applies from epoch index 2 (its
    /// <c>epoch &gt; 1</c>); the default follows the paper's Algorithm 1 (from the 2nd epoch, index 1), per spec §9.7.
    /// Earlier epochs run no interventions (the reference computes and discards them).
    /// </summary>
    public int FirstRelabelEpoch { get; init; } = 1;

    /// <summary>Relevance initialisation: blocks with 1 − score/max &lt; this become relevant (initialize_relevance.py <c>threshold</c>).</summary>
    public double InitThreshold { get; init; } = 0.15;

    /// <summary>BM25 term-frequency saturation (gensim 3.8 <c>PARAM_K1</c>).</summary>
    public double Bm25K1 { get; init; } = 1.5;

    /// <summary>BM25 length normalisation (gensim 3.8 <c>PARAM_B</c>).</summary>
    public double Bm25B { get; init; } = 0.75;

    /// <summary>BM25 floor for negative idf, as a fraction of the mean idf (gensim 3.8 <c>EPSILON</c>).</summary>
    public double Bm25Epsilon { get; init; } = 0.25;

    /// <summary>Throws naming the first inconsistent setting.</summary>
    public CogLtxOptions Validate()
    {
        if (BlockSize < 1) throw new ArgumentException($"{nameof(BlockSize)} must be at least 1, got {BlockSize}");
        if (Capacity < BlockSize + 1) throw new ArgumentException($"{nameof(Capacity)} {Capacity} cannot hold one block of {nameof(BlockSize)} {BlockSize} + 1 separator");
        if (RecallSteps is null || RecallSteps.Count == 0) throw new ArgumentException($"{nameof(RecallSteps)} needs at least one step (reference default \"3,5\")");
        if (RecallSteps.Any(s => s < 0)) throw new ArgumentException($"{nameof(RecallSteps)} must be non-negative, got [{string.Join(", ", RecallSteps)}]");
        if (InferenceBatchSize < 1) throw new ArgumentException($"{nameof(InferenceBatchSize)} must be at least 1, got {InferenceBatchSize}");
        if (InterventionChunkSize < 1) throw new ArgumentException($"{nameof(InterventionChunkSize)} must be at least 1, got {InterventionChunkSize}");
        if (ContinuousSamples < 0 || RelevantSamples < 0 || PromisingSamples < 0 || RandomSamples < 0)
            throw new ArgumentException("sample counts (continuous, relevant, promising, random) must be non-negative");
        if (!(LevelDownThreshold < LevelUpThreshold))
            throw new ArgumentException($"{nameof(LevelDownThreshold)} {LevelDownThreshold} must be below {nameof(LevelUpThreshold)} {LevelUpThreshold}");
        if (MinRelevance > MaxRelevance) throw new ArgumentException($"{nameof(MinRelevance)} {MinRelevance} exceeds {nameof(MaxRelevance)} {MaxRelevance}");
        return this;
    }
}
