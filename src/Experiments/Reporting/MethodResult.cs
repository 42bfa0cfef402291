namespace CogLtx.Experiments.Reporting;

/// <summary>One evaluated test example: its score under the method's headline metric and the document length.</summary>
public sealed record ExampleOutcome(string Id, double Score, int DocumentTokens);

/// <summary>One point of a training curve.</summary>
public sealed record CurvePoint(int Step, string Series, double Value);

/// <summary>Everything measured for one method (CogLTX or a baseline) in one experiment.</summary>
public sealed record MethodResult(
    string Name,
    IReadOnlyDictionary<string, double> Metrics,
    double TrainSeconds,
    double EvalSeconds,
    double PeakMemoryMb,
    IReadOnlyList<ExampleOutcome> Outcomes,
    IReadOnlyList<CurvePoint> Curve,
    string? Note = null);

/// <summary>An experiment's results: what results.json holds.</summary>
public sealed record ExperimentResults(
    string Dataset,
    string HeadlineMetric,
    string Commit,
    DateTimeOffset Date,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<MethodResult> Methods);
