namespace CogLtx.Tensors;

/// <summary>
/// Float arrays kept from one training step to the next, so that a step's activations and gradients reuse the
/// previous step's memory instead of asking the runtime for fresh arrays. Fresh large arrays cost more than their
/// size: the garbage collector hands the pages of collected large objects back to the kernel, and every page of a
/// fresh array is then faulted in and zeroed again (docs/performance.md, "Why a train step is sometimes 3–4× slower": 0.34 s + 11 µs
/// per fault, up to 119,000 faults in one BERT-mini step). Arrays are pooled by exact length, because a tensor's
/// storage is exactly its size. Used through <see cref="Begin"/>: tensors made inside a <see cref="BufferScope"/>
/// take pooled storage, and give it back when the scope ends. Thread-safe.
/// </summary>
public sealed class BufferPool
{
    /// <summary>A length not asked for in this many scopes is dropped from the pool (shapes that stopped recurring).</summary>
    public const int KeepScopes = 8;

    private readonly Dictionary<int, Bucket> buckets = [];
    private readonly Lock gate = new();
    private int scopes;
    private long budget;

    /// <summary>Arrays handed out from the pool (reused memory).</summary>
    public long Reused { get; private set; }

    /// <summary>Arrays that had to be allocated because the pool held none of that length.</summary>
    public long Allocated { get; private set; }

    /// <summary>Bytes of the arrays the pool holds, free for the next scope.</summary>
    public long RetainedBytes { get; private set; }

    /// <summary>
    /// The most the pool keeps between scopes: the bytes of the distinct arrays the largest scope so far used. A run
    /// whose shapes repeat keeps all it needs; one whose shapes vary (inputs padded to each batch's longest row)
    /// keeps at most one scope's worth, not one per shape seen.
    /// </summary>
    public long BudgetBytes
    {
        get
        {
            lock (gate) return budget;
        }
    }

    /// <summary>
    /// Starts a scope on this thread: until it is disposed, tensors this thread creates (op outputs, their gradients,
    /// the arrays ops keep for backward) take storage from this pool. Disposing it returns that storage and ends the
    /// life of those tensors: reading one afterwards throws. Scopes nest; the innermost is the current one.
    /// </summary>
    public BufferScope Begin() => new(this);

    /// <summary>A free array of exactly <paramref name="length"/>, or a new one (uninitialised).</summary>
    internal float[] Take(int length)
    {
        lock (gate)
        {
            if (buckets.TryGetValue(length, out var bucket))
            {
                bucket.LastScope = scopes;
                if (bucket.Free.TryPop(out var array))
                {
                    Reused++;
                    RetainedBytes -= 4L * length;
                    return array;
                }
            }
            else buckets[length] = new Bucket { LastScope = scopes };
            Allocated++;
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Puts one array back (free for reuse at once).</summary>
    internal void Give(float[] array)
    {
        lock (gate) Push(array);
    }

    /// <summary>
    /// Puts back what a scope still held when it ended (<paramref name="touchedBytes"/>: the bytes of the distinct
    /// arrays it used), drops lengths that stopped recurring, then, while the pool holds more than
    /// <see cref="BudgetBytes"/>, the arrays of the lengths used longest ago.
    /// </summary>
    internal void EndScope(IEnumerable<float[]> arrays, long touchedBytes)
    {
        lock (gate)
        {
            foreach (var array in arrays) Push(array);
            scopes++;
            budget = Math.Max(budget, touchedBytes);
            foreach (var (length, bucket) in buckets.Where(b => scopes - b.Value.LastScope > KeepScopes).ToList())
            {
                RetainedBytes -= 4L * length * bucket.Free.Count;
                buckets.Remove(length);
            }
            if (RetainedBytes <= budget) return;
            foreach (var (length, bucket) in buckets.OrderBy(b => b.Value.LastScope).ThenByDescending(b => b.Key).ToList())
            {
                while (RetainedBytes > budget && bucket.Free.TryPop(out _)) RetainedBytes -= 4L * length;
                if (RetainedBytes <= budget) return;
            }
        }
    }

    private void Push(float[] array)
    {
        if (!buckets.TryGetValue(array.Length, out var bucket)) buckets[array.Length] = bucket = new Bucket { LastScope = scopes };
        bucket.Free.Push(array);
        RetainedBytes += 4L * array.Length;
    }

    private sealed class Bucket
    {
        public Stack<float[]> Free { get; } = new();

        public int LastScope { get; set; }
    }
}
