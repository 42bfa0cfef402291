using CogLtx.Tensors;
using CogLtx.Text.Documents;

namespace CogLtx.Training.Relevance;

/// <summary>
/// Judge training samples for one epoch (spec §5.2; data_helper.py <c>build_random_buffer</c>). With
/// lb = 8 − |Q| document blocks per sample (8 = capacity / (block size + 1)):
/// <list type="bullet">
/// <item>n0 "continuous" samples (z_rand): a random start st ∈ [0, max(0, |D| − lb·n0)]; sample i = Q + D[st + i·lb, st + (i+1)·lb).</item>
/// <item>n1 "relevant + negative" samples (z_relv): min(lb, |P|) random relevant blocks, then min(lb − that, |N|) random others; Q + those, sorted.</item>
/// </list>
/// Every sample holds at most 8 blocks of ≤ 64 tokens, so at most <see cref="CogLtxOptions.Capacity"/> tokens.
/// </summary>
public static class JudgeSamples
{
    /// <summary>Samples of every example, in dataset order (the trainer shuffles).</summary>
    public static List<BlockBuffer> Build(IEnumerable<ExampleBlocks> examples, Rng rng, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var result = new List<BlockBuffer>();
        foreach (var example in examples) result.AddRange(ForExample(example, rng, options));
        return result;
    }

    /// <summary>The n0 continuous then n1 relevant samples of one example.</summary>
    public static List<BlockBuffer> ForExample(ExampleBlocks example, Rng rng, CogLtxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(rng);
        options = (options ?? CogLtxOptions.Default).Validate();
        var q = example.QueryBlocks;
        var d = example.DocumentBlocks;
        var lb = Sampling.BlocksAfterQuery(example, options);
        var samples = new List<BlockBuffer>();

        var n0 = options.ContinuousSamples;
        if (n0 > 0)
        {
            var st = rng.NextInt(0, Math.Max(0, d.Count - lb * n0) + 1);
            for (var i = 0; i < n0; i++)
            {
                var from = Math.Min(d.Count, st + i * lb);
                var to = Math.Min(d.Count, st + (i + 1) * lb);
                samples.Add(new BlockBuffer(q.Concat(d.Skip(from).Take(to - from))));
            }
        }

        var (positive, negative) = Sampling.SplitByRelevance(d);
        for (var i = 0; i < options.RelevantSamples; i++)
        {
            var selectedPositive = Sampling.Sample(positive, Math.Min(lb, positive.Count), rng);
            var selectedNegative = Sampling.Sample(negative, Math.Min(lb - selectedPositive.Count, negative.Count), rng);
            samples.Add(Sampling.SortedBuffer(q.Concat(selectedPositive).Concat(selectedNegative)));
        }
        return samples;
    }
}
