using CogLtx.Experiments.Config;
using CogLtx.Experiments.Scaling;

namespace CogLtx.Experiments.Tests;

public sealed class ScalingBenchTests
{
    private static PhaseCost Cost(double inferSeconds, double trainPeak) => new(0.1, trainPeak, trainPeak + 100, inferSeconds, 10, 110, 50, 8);

    [Fact]
    public void InferenceFit_RecoversAnExactLine()
    {
        // t = 0.2 s per 1k tokens + 0.05 s at 1k, 2k, 4k tokens: slope 0.2, intercept 0.05, R² 1.
        var points = new[] { 1000, 2000, 4000 }.Select(n => new ScalingPoint(n, n, Cost(0.05 + 0.2 * n / 1000.0, 300), null)).ToList();
        var result = new ScalingResult("m", "managed", 1, 2, 1, points);
        var (slope, intercept, r2) = result.InferenceFit!;
        Assert.Equal(0.2, slope, 9);
        Assert.Equal(0.05, intercept, 9);
        Assert.Equal(1.0, r2, 9);
        Assert.Null(result.SlidingInferenceFit);   // no sliding window was measured
    }

    [Fact]
    public void Fits_SerializeAsObjectsWithTheirFigures_NotAsEmptyTuples()
    {
        var points = new[] { 1000, 2000 }.Select(n => new ScalingPoint(n, n, Cost(0.05 + 0.2 * n / 1000.0, 300), null)).ToList();
        var json = System.Text.Json.JsonSerializer.Serialize(new ScalingResult("m", "managed", 1, 2, 1, points),
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(0.2, doc.RootElement.GetProperty("inference_fit").GetProperty("per_thousand").GetDouble(), 9);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("sliding_inference_fit").ValueKind);
    }

    [Fact]
    public void TrainMemoryGrowth_IsLargestOverSmallestPeak_AndTheTableHasARowPerLength()
    {
        var points = new List<ScalingPoint>
        {
            new(1000, 1010, Cost(0.1, 200), Cost(0.05, 300)),
            new(2000, 2020, Cost(0.2, 250), Cost(0.10, 600)),
        };
        var result = new ScalingResult("m", "managed", 1, 2, 1, points);
        Assert.Equal(1.25, result.TrainMemoryGrowth, 9);
        var table = result.ToMarkdown();
        Assert.Contains("| 1,010 |", table);
        Assert.Contains("| 2,020 |", table);
        Assert.Contains("its training peak grows 2.00×", table);
    }

    [Fact]
    public void SlidingOutOfMemory_IsSaidInTheTable_AndItsFitUsesTheMeasuredLengthsOnly()
    {
        var points = new List<ScalingPoint>
        {
            new(1000, 1000, Cost(0.1, 200), Cost(0.10, 300)),
            new(2000, 2000, Cost(0.2, 210), Cost(0.30, 900)),
            new(4000, 4000, Cost(0.4, 205), null, SlidingOutOfMemory: true),
        };
        var result = new ScalingResult("m", "managed", 1, 2, 1, points);
        var (slope, intercept, _) = result.SlidingInferenceFit!;
        Assert.Equal(0.2, slope, 9);
        Assert.Equal(-0.1, intercept, 9);
        var table = result.ToMarkdown();
        Assert.Contains("| 4,000 |", table);
        Assert.Contains("out of memory | | | |", table);
        Assert.Contains("its training peak grows 3.00×", table);
        Assert.Contains("ran out of memory at 4,000 tokens", table);
        Assert.EndsWith("sliding window out of memory", points[2].Summary());
    }

    [Fact]
    public void Run_TinyModel_MeasuresEveryLengthAndBothMethods()
    {
        var options = new ScalingOptions
        {
            Lengths = [700, 1400],
            TrainDocuments = 2,
            TestDocuments = 1,
            Model = new ModelConfig { Layers = 1, Hidden = 32, Heads = 2, Intermediate = 64 },
        };
        var lines = new List<string>();
        var result = ScalingBench.Run(options, lines.Add);
        Assert.Equal(2, result.Points.Count);
        Assert.Equal(2, lines.Count);
        Assert.True(result.Points[1].MeanTokens > result.Points[0].MeanTokens * 1.5, $"{result.Points[0].MeanTokens} then {result.Points[1].MeanTokens} tokens");
        foreach (var p in result.Points)
        {
            Assert.True(p.CogLtx.TrainStepSeconds > 0 && p.CogLtx.InferSecondsPerDocument > 0);
            Assert.True(p.CogLtx.TrainPeakManagedMb > 0, "training allocates activations");
            Assert.True(p.CogLtx.EncoderInputs >= 2, "MemRecall runs at least one competition and one rehearsal pass");
            Assert.NotNull(p.Sliding);
            Assert.True(p.Sliding!.Units >= 2, "documents longer than one window need several windows");
        }
        Assert.True(result.Points[1].CogLtx.Units > result.Points[0].CogLtx.Units, "longer documents have more blocks");
    }

    [Fact]
    public void Validate_RejectsLengthsWithoutRoomForLateEvidence()
    {
        var e = Assert.Throws<ArgumentException>(() => new ScalingOptions { Lengths = [500] }.Validate());
        Assert.Contains("612", e.Message);
    }
}
