using System.Diagnostics;
using System.Globalization;

namespace CogLtx.Models;

/// <summary>
/// What one timed benchmark iteration cost besides its work: the seconds the garbage collector paused the process
/// (<see cref="GC.GetTotalPauseDuration"/>), the gen-2 collections it ran, and the minor page faults the process took
/// (fresh memory touched for the first time; Linux <c>/proc/self/stat</c>, -1 elsewhere). Lets a slow repeat be
/// attributed to the collector, to memory growth, or to neither (the machine). Used by <c>cogltx bench bert</c> and
/// <see cref="Longformer.LongformerBench"/>.
/// </summary>
/// <param name="Seconds">Wall-clock seconds of the iteration.</param>
/// <param name="GcPauseSeconds">Seconds the collector paused the process during it.</param>
/// <param name="Gen2Collections">Gen-2 collections during it.</param>
/// <param name="MinorFaults">Minor page faults the process took during it; -1 where they cannot be read.</param>
public readonly record struct IterationCost(double Seconds, double GcPauseSeconds, int Gen2Collections, long MinorFaults)
{
    /// <summary>Runs <paramref name="iteration"/> once and measures it.</summary>
    public static IterationCost Measure(Action iteration)
    {
        var (pause, gen2, faults) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), MinorFaultCount());
        var clock = Stopwatch.StartNew();
        iteration();
        var seconds = clock.Elapsed.TotalSeconds;
        var after = MinorFaultCount();
        return new IterationCost(seconds, (GC.GetTotalPauseDuration() - pause).TotalSeconds, GC.CollectionCount(2) - gen2,
            faults < 0 || after < 0 ? -1 : after - faults);
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat), or -1 when it cannot be read.</summary>
    private static long MinorFaultCount()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);   // fields[0] is field 3 (state); minflt is field 10
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }
}
