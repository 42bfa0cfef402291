using CogLtx.Models.Longformer;

namespace CogLtx.Models.Tests;

/// <summary>
/// The benchmark harness on a small model: it reports sane figures, and the memory the autograd graph holds grows
/// linearly with the length (a T×T attention would quadruple it per doubling). Runs alone: the live-heap figures
/// are process-wide and would count other tests' objects.
/// </summary>
[CollectionDefinition(nameof(LongformerBenchTests), DisableParallelization = true)]
[Collection(nameof(LongformerBenchTests))]
public sealed class LongformerBenchTests
{
    [Fact]
    public void LongformerBench_SmallModel_GraphMemoryIsLinearInLength()
    {
        var config = LongformerConfig.Create(vocabSize: 200, layers: 2, hidden: 32, heads: 2, intermediate: 64, maxLength: 4096, attentionWindow: 16);
        var peer = new Dictionary<int, (double Forward, double Train)> { [2048] = (1000, 100) };
        var result = LongformerBench.Run([1024, 2048, 4096], warmup: 0, iterations: 2, config: config, peer: (peer, "test peer"));

        Assert.Equal([1024, 2048, 4096], result.Points.Select(p => p.Length));
        Assert.All(result.Points, p =>
        {
            Assert.True(p.ForwardSeconds > 0 && p.ForwardBackwardSeconds > 0 && p.TrainStepSeconds >= p.ForwardBackwardSeconds);
            Assert.Equal(2, p.ForwardTimes.Count);
            Assert.Equal(2, p.TrainStepTimes.Count);
            Assert.Equal(2, p.TrainStepFaults.Count);
            Assert.All(p.TrainStepFaults, n => Assert.True(OperatingSystem.IsLinux() ? n >= 0 : n == -1, $"page faults {n}"));
            Assert.Equal((p.ForwardTimes[0] + p.ForwardTimes[1]) / 2, p.ForwardSeconds, 12);
            Assert.True(p.GraphBytes > 0 && p.PeakManagedBytes >= p.GraphBytes && p.AllocatedBytes >= p.GraphBytes);
        });
        var graph = result.Points.Select(p => (double)p.GraphBytes).ToArray();
        Assert.InRange(graph[1] / graph[0], 1.6, 2.4);
        Assert.InRange(graph[2] / graph[1], 1.6, 2.4);
        var table = result.ToMarkdown();
        Assert.Contains("| 2048 |", table);
        Assert.Contains("peer: test peer", table);
        var at2048 = result.Points[1];
        Assert.Contains($"| 1,000 / 100 | {at2048.ForwardTokensPerSecond / 1000:F2}× / {at2048.TrainTokensPerSecond / 100:F2}× |", table);
    }
}
