using System.Diagnostics;

namespace CogLtx.Experiments.Runner;

/// <summary>
/// Peak memory of one method: a full, compacting collection first (so the previous method's garbage is returned to
/// the OS and does not count), then the process working set and the managed heap sampled every
/// <paramref name="interval"/> on a background thread until disposed. Tensors are managed float arrays, so the
/// managed heap is most of it; the working set adds the runtime and native buffers (OpenBLAS).
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Thread thread;
    private readonly ManualResetEventSlim stop = new();
    private readonly TimeSpan interval;
    private long peakWorkingSet;
    private long peakManaged;

    public MemorySampler(TimeSpan? interval = null)
    {
        this.interval = interval ?? TimeSpan.FromMilliseconds(50);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        StartManagedMb = GC.GetTotalMemory(forceFullCollection: false) / 1e6;
        Sample();
        thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        thread.Start();
    }

    /// <summary>Managed heap after the collection at construction, in MB: what was live before the measured work.</summary>
    public double StartManagedMb { get; }

    /// <summary>Highest process working set seen, in MB (10⁶ bytes).</summary>
    public double PeakWorkingSetMb
    {
        get
        {
            Sample();
            return Interlocked.Read(ref peakWorkingSet) / 1e6;
        }
    }

    /// <summary>Highest managed heap size seen (live and not yet collected objects), in MB.</summary>
    public double PeakManagedMb
    {
        get
        {
            Sample();
            return Interlocked.Read(ref peakManaged) / 1e6;
        }
    }

    public void Dispose()
    {
        stop.Set();
        thread.Join();
        stop.Dispose();
    }

    private void Loop()
    {
        while (!stop.Wait(interval)) Sample();
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        Max(ref peakWorkingSet, process.WorkingSet64);
        Max(ref peakManaged, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Max(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
