namespace CogLtx.Tensors;

/// <summary>
/// The life of one training step's tensors (<see cref="BufferPool.Begin"/>). While it is the current scope of its
/// thread, tensors created there (<see cref="Tensor.Empty"/>, <see cref="Tensor.Zeros"/>, op outputs, gradients, the
/// arrays ops keep for backward) take pooled storage, whatever their size, so that every tensor of the step ends with
/// it (a small tensor kept past its step fails in tests on tiny models as a large one would in a real run).
/// A gradient buffer goes back to the pool as soon as autograd drops it; everything else when the scope is disposed,
/// and those tensors end with it: reading their <see cref="Tensor.Data"/> or <see cref="Tensor.Grad"/> afterwards
/// throws instead of returning memory that another step now uses. What must outlive the step (a loss value,
/// scores kept for later) is read or copied (<see cref="Tensor.Clone"/>) before it ends. Tensors made outside the
/// scope (parameters, optimizer state) never take pooled storage, and a pooled gradient is copied, not adopted,
/// when it flows into one of them.
/// </summary>
public sealed class BufferScope : IDisposable
{
    [ThreadStatic] private static BufferScope? current;

    private readonly BufferPool pool;
    private readonly BufferScope? outer;
    private readonly HashSet<float[]> held = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<float[]> gradients = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<float[]> handedOver = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<float[]> touched = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> tensors = [];
    private long touchedBytes;
    private bool ended;

    internal BufferScope(BufferPool pool)
    {
        this.pool = pool;
        outer = current;
        current = this;
    }

    /// <summary>The innermost live scope of this thread, or null.</summary>
    internal static BufferScope? Current => current;

    /// <summary>Storage for a new array: pooled inside a scope (when long enough), else from the runtime.</summary>
    internal static float[] Allocate(int length, bool zeroed) => current is { } scope ? scope.Rent(length, zeroed, gradient: false) : Fresh(length, zeroed);

    /// <summary>Storage from the runtime, outside any scope: zeroed, or left uninitialised for kernels that write every entry.</summary>
    internal static float[] Fresh(int length, bool zeroed) => zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);

    /// <summary>An array of <paramref name="length"/> held until this scope ends (or, for a gradient, until autograd drops it).</summary>
    internal float[] Rent(int length, bool zeroed, bool gradient)
    {
        if (ended) throw new InvalidOperationException("a BufferScope that has ended cannot hand out storage");
        var array = pool.Take(length);
        if (zeroed) Array.Clear(array);
        if (touched.Add(array)) touchedBytes += 4L * array.Length;
        held.Add(array);
        if (gradient) gradients.Add(array);
        return array;
    }

    /// <summary>True when <paramref name="array"/> is pooled storage this scope holds.</summary>
    internal bool Holds(float[] array) => held.Contains(array);

    /// <summary>Ends <paramref name="tensor"/> with this scope.</summary>
    internal void Track(Tensor tensor) => tensors.Add(tensor);

    /// <summary>Another tensor of this scope adopted <paramref name="gradient"/>: the tensor that drops it next does not own it any more.</summary>
    internal void HandOver(float[] gradient)
    {
        if (gradients.Contains(gradient)) handedOver.Add(gradient);
    }

    /// <summary>Autograd dropped a gradient buffer: unless another tensor adopted it, it goes back to the pool now.</summary>
    internal void Dropped(float[] gradient)
    {
        if (handedOver.Remove(gradient) || !gradients.Remove(gradient)) return;
        held.Remove(gradient);
        pool.Give(gradient);
    }

    /// <summary>Ends the tensors made in this scope and returns their storage to the pool.</summary>
    public void Dispose()
    {
        if (ended) return;
        if (!ReferenceEquals(current, this))
            throw new InvalidOperationException("a BufferScope must be disposed on the thread that began it, innermost scope first");
        ended = true;
        current = outer;
        foreach (var tensor in tensors) tensor.Release();
        pool.EndScope(held, touchedBytes);
        tensors.Clear();
        held.Clear();
        touched.Clear();
        gradients.Clear();
        handedOver.Clear();
    }
}
