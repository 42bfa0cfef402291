namespace CogLtx.Tensors;

/// <summary>Splits kernel loops over <see cref="ComputeOptions.Threads"/> workers of <see cref="ComputeOptions.Current"/> when the work is big enough to pay for it.</summary>
internal static class Parallelism
{
    /// <summary>Roughly the work (in float operations) below which a parallel loop costs more than it saves.</summary>
    public const long MinParallelWork = 1L << 16;

    /// <summary>
    /// Runs body(start, end) over [0, count) in contiguous chunks, one per thread, when count·costPerItem is
    /// large; inline otherwise.
    /// </summary>
    public static void For(int count, long costPerItem, Action<int, int> body)
    {
        var threads = ComputeOptions.Current.Threads;
        if (threads <= 1 || count < 2 || count * costPerItem < MinParallelWork)
        {
            body(0, count);
            return;
        }
        var chunks = Math.Min(threads, count);
        var per = (count + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var start = c * per;
            var end = Math.Min(count, start + per);
            if (start < end) body(start, end);
        });
    }
}
