using System.Text.Json;
using CogLtx.Experiments.Reporting;

namespace CogLtx.Experiments.Tests;

public sealed class ResultsWriterTests
{
    private static ExperimentResults Sample()
    {
        MethodResult Method(string name, Func<int, double> score) => new(
            name,
            new Dictionary<string, double> { ["accuracy"] = Enumerable.Range(0, 40).Average(score) },
            TrainSeconds: 12, EvalSeconds: 1.5, PeakMemoryMb: 300,
            Outcomes: Enumerable.Range(0, 40).Select(i => new ExampleOutcome($"ex{i}", score(i), 200 + 50 * i)).ToList(),
            Curve: Enumerable.Range(0, 5).Select(s => new CurvePoint(s * 10, "loss", 2.0 / (s + 1))).ToList());
        return new ExperimentResults("synthetic-cls", "accuracy", "abc1234", new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["seed"] = "1" },
            [Method("cogltx", i => i % 10 == 0 ? 0 : 1), Method("head", i => i < 8 ? 1 : 0)]);
    }

    [Fact]
    public void Write_ProducesJsonCsvMarkdownAndPlots_WithTheDocumentedShape()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cogltx-results-" + Guid.NewGuid().ToString("N"));
        try
        {
            ResultsWriter.Write(dir, Sample(), seed: 1);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            Assert.Equal("synthetic-cls", json.RootElement.GetProperty("dataset").GetString());
            var methods = json.RootElement.GetProperty("methods");
            Assert.Equal(2, methods.GetArrayLength());
            Assert.Equal(0.9, methods[0].GetProperty("metrics").GetProperty("accuracy").GetDouble(), 9);
            Assert.Equal(12, methods[0].GetProperty("train_seconds").GetDouble());
            Assert.Equal(300, methods[0].GetProperty("peak_memory_mb").GetDouble());

            var cogltx = methods[0].GetProperty("headline");
            Assert.Equal(0.9, cogltx.GetProperty("mean").GetDouble(), 9);
            Assert.InRange(cogltx.GetProperty("low").GetDouble(), 0.7, 0.9);
            Assert.InRange(cogltx.GetProperty("high").GetDouble(), 0.9, 1.0);
            Assert.Equal(JsonValueKind.Null, methods[0].GetProperty("vs_cogltx").ValueKind);
            var head = methods[1].GetProperty("vs_cogltx");
            Assert.Equal(-0.7, head.GetProperty("delta").GetDouble(), 9);
            Assert.InRange(head.GetProperty("p_permutation").GetDouble(), 0, 0.001);
            Assert.InRange(head.GetProperty("p_ttest").GetDouble(), 0, 0.001);

            var csv = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Equal("method,accuracy,ci_low,ci_high,delta_vs_cogltx,p_permutation,p_ttest,train_seconds,eval_seconds,peak_memory_mb", csv[0]);
            Assert.Matches(@"^cogltx,0\.9,0\.\d+,0\.\d+,,,,12,1\.5,300$", csv[1]);
            Assert.Matches(@"^head,0\.2,0\.\d+,0\.\d+,-0\.7\d*,[0-9.E-]+,[0-9.E-]+,12,", csv[2]);
            Assert.DoesNotContain("Quick smoke test", File.ReadAllText(Path.Combine(dir, "results.md")));

            var md = File.ReadAllText(Path.Combine(dir, "results.md"));
            Assert.Contains("| cogltx | 0.900 (", md);
            Assert.Contains("| head | 0.200 (", md);
            Assert.Contains("-0.700", md);
            Assert.Contains("<0.001", md);

            var svg = File.ReadAllText(Path.Combine(dir, "score_vs_length.svg"));
            Assert.StartsWith("<svg", svg);
            Assert.Contains("polyline", svg);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class QuickReportTests
{
    [Fact]
    public void Render_QuickRun_SaysItIsASmokeTest_AndShowsEachLossCurve()
    {
        var results = new ExperimentResults("tiny (quick)", "accuracy", "abc", DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { ["quick"] = "true" },
            [new MethodResult("head", new Dictionary<string, double> { ["accuracy"] = 0 }, 1, 1, 1,
                [new ExampleOutcome("a", 0, 600)], [.. Enumerable.Range(1, 8).Select(s => new CurvePoint(s, "loss", 9 - s))])]);
        var md = MarkdownReport.Render(results, seed: 1);
        Assert.Contains("Quick smoke test", md);
        Assert.Contains("- head training loss (loss): 7.500 over the first quarter of steps → 1.500 over the last", md);
    }
}

public sealed class CurveLogTests
{
    [Fact]
    public void Add_AfterResume_DropsThePointsLoggedPastTheCheckpoint()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "curve.csv");
        var first = new CogLtx.Experiments.Runner.CurveLog(path);
        for (var step = 1; step <= 10; step++) first.Add(step, "loss", step);

        // Killed after step 10; the checkpoint holds step 6, so the resumed run logs steps 7, 8, ... again.
        var resumed = new CogLtx.Experiments.Runner.CurveLog(path);
        resumed.Add(7, "loss", 70);
        resumed.Add(8, "loss", 80);

        Assert.Equal(["1,loss,1", "2,loss,2", "3,loss,3", "4,loss,4", "5,loss,5", "6,loss,6", "7,loss,70", "8,loss,80"], File.ReadAllLines(path));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], resumed.Read().Select(p => p.Step));
    }
}

public sealed class CurveSmoothingTests
{
    [Fact]
    public void Smooth_LongCurve_AveragesRunsOfSteps()
    {
        // 80 points → runs of 2: (1, 0) and (2, 2) average to (1.5, 1), and so on.
        var points = Enumerable.Range(1, 80).Select(i => new CurvePoint(i, "loss", i % 2 == 1 ? 0 : 2)).ToList();
        var smooth = ResultsWriter.Smooth(points);
        Assert.Equal(40, smooth.Count);
        Assert.Equal((1.5, 1.0), smooth[0]);
        Assert.Equal((79.5, 1.0), smooth[^1]);
    }

    [Fact]
    public void Smooth_ShortCurve_IsUnchanged()
    {
        var points = Enumerable.Range(0, 5).Select(i => new CurvePoint(i, "loss", i * 0.5)).ToList();
        Assert.Equal(points.Select(p => ((double)p.Step, p.Value)), ResultsWriter.Smooth(points));
    }
}
