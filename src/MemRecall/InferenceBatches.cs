namespace CogLtx.MemRecall;

/// <summary>
/// How inference inputs are cut into encoder calls: longest first, at most <c>maxRows</c> per call, and a call ends
/// before a row shorter than <see cref="MinFillFraction"/> of its first (longest) row. A call costs about its rows ×
/// its longest row (padding is computed, then masked), so grouping alike lengths keeps that waste under an eighth.
/// </summary>
public static class InferenceBatches
{
    /// <summary>A row joins a call only if it is at least this fraction of the call's longest row.</summary>
    public const double MinFillFraction = 0.875;

    /// <summary>Indices into <paramref name="lengths"/>, one list per call; ties keep their order (stable sort).</summary>
    public static IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var order = Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ToList();
        var calls = new List<int[]>();
        var call = new List<int>();
        foreach (var i in order)
        {
            if (call.Count == maxRows || call.Count > 0 && lengths[i] < MinFillFraction * lengths[call[0]])
            {
                calls.Add([.. call]);
                call.Clear();
            }
            call.Add(i);
        }
        if (call.Count > 0) calls.Add([.. call]);
        return calls;
    }
}
