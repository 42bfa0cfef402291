using System.Globalization;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Reporting;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Runner;

/// <summary>Where a long step stands: method, stage (prepare, train, evaluate), completed fraction and a detail line.</summary>
public sealed record ExperimentProgress(string Method, string Stage, double Fraction, string Detail);

/// <summary>A method's trained-and-evaluated outcome before timing and memory are attached.</summary>
internal sealed record MethodOutcome(Dictionary<string, double> Metrics, List<ExampleOutcome> Outcomes, List<CurvePoint> Curve, double TrainSeconds, double EvalSeconds, string? Note);

/// <summary>What every method runner gets: the config, the shared data, its own folder and the progress sink.</summary>
internal sealed record MethodContext(ExperimentConfig Config, ExperimentData Data, string MethodDir, IProgress<ExperimentProgress>? Progress, CancellationToken CancellationToken)
{
    public void Report(string method, string stage, double fraction, string detail) =>
        Progress?.Report(new ExperimentProgress(method, stage, Math.Clamp(fraction, 0, 1), detail));

    /// <summary>
    /// The training curve so far, kept in <c>curve.csv</c> of the method folder so that a resumed run keeps the points
    /// from before the interruption (later points for the same step and series replace earlier ones).
    /// </summary>
    public CurveLog OpenCurve() => new(Path.Combine(MethodDir, "curve.csv"));

    /// <summary>Writes <c>predictions.tsv</c> (id, gold, prediction, score) into the method folder, for error analysis.</summary>
    public void WritePredictions(IReadOnlyList<MethodPrediction> predictions, IReadOnlyList<ExampleOutcome> outcomes)
    {
        var lines = new List<string> { "id\tgold\tprediction\tscore" };
        for (var i = 0; i < predictions.Count; i++)
        {
            var example = Data.Test[i];
            var gold = Data.IsSpanQa ? Training.Evaluation.Evaluator.GoldAnswer(example.Source) : string.Join(",", example.Source.Labels);
            var predicted = Data.IsSpanQa ? predictions[i].Answer
                : predictions[i].Label >= 0 && predictions[i].Label < Data.Job.Setup.LabelNames.Count ? Data.Job.Setup.LabelNames[predictions[i].Label] : "?";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{example.Source.Id}\t{Clean(gold)}\t{Clean(predicted)}\t{outcomes[i].Score:0.###}"));
        }
        AtomicFile.WriteAllLines(Path.Combine(MethodDir, "predictions.tsv"), lines);
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ');
}

/// <summary>
/// A training-curve file of "step,series,value" lines, appended to as training runs. A run resumed from a checkpoint
/// logs again every step after that checkpoint, so the first point this log is given drops the stored points from
/// that step on: the file then holds what an uninterrupted run would have written, once each.
/// </summary>
internal sealed class CurveLog(string path)
{
    private bool resumed;

    public void Add(int step, string series, double value)
    {
        if (!resumed)
        {
            resumed = true;
            DropFrom(step);
        }
        if (!double.IsFinite(value)) return;
        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{step},{series},{value:R}\n"));
    }

    private void DropFrom(int step)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(line =>
            line.Split(',') is [var s, _, _] && int.TryParse(s, CultureInfo.InvariantCulture, out var logged) && logged < step).ToList();
        AtomicFile.WriteAllLines(path, kept);
    }

    /// <summary>All points, the last value of each (step, series) kept, ordered by series then step.</summary>
    public List<CurvePoint> Read()
    {
        if (!File.Exists(path)) return [];
        var points = new Dictionary<(int, string), double>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(',');
            if (parts.Length != 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var step)
                || !double.TryParse(parts[2], CultureInfo.InvariantCulture, out var value)) continue;
            points[(step, parts[1])] = value;
        }
        return [.. points.OrderBy(p => p.Key.Item2, StringComparer.Ordinal).ThenBy(p => p.Key.Item1).Select(p => new CurvePoint(p.Key.Item1, p.Key.Item2, p.Value))];
    }
}
