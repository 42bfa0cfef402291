namespace CogLtx.Experiments.Reporting;

/// <summary>
/// One method's headline score with its bootstrap 95% interval and, for every method but CogLTX evaluated on the same
/// examples, the paired difference against CogLTX with its p-values. results.md, results.json and results.csv all
/// report these, computed once here.
/// </summary>
/// <param name="Delta">Mean(method − CogLTX) over paired examples; null for CogLTX itself or without a paired CogLTX run.</param>
public sealed record MethodComparison(string Method, Interval Headline, double? Delta, double? PermutationP, double? TTestP)
{
    /// <summary>Name of the method every other is compared with.</summary>
    public const string Reference = "cogltx";

    /// <summary>The comparison row of every method, in the results' order.</summary>
    public static IReadOnlyList<MethodComparison> Compute(ExperimentResults results, ulong seed)
    {
        var reference = results.Methods.FirstOrDefault(m => m.Name == Reference);
        return [.. results.Methods.Select(method =>
        {
            var ci = Statistics.BootstrapMean([.. method.Outcomes.Select(o => o.Score)], seed);
            if (reference is null || method == reference || !SameExamples(reference, method)) return new MethodComparison(method.Name, ci, null, null, null);
            var cmp = Statistics.Paired([.. method.Outcomes.Select(o => o.Score)], [.. reference.Outcomes.Select(o => o.Score)], seed);
            return new MethodComparison(method.Name, ci, cmp.MeanDifference, cmp.PermutationP, cmp.TTestP);
        })];
    }

    private static bool SameExamples(MethodResult a, MethodResult b) =>
        a.Outcomes.Count == b.Outcomes.Count && a.Outcomes.Select(o => o.Id).SequenceEqual(b.Outcomes.Select(o => o.Id));
}
