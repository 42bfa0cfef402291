namespace CogLtx.Tensors;

/// <summary>
/// A dense float32 tensor: row-major contiguous storage plus a shape. Tensors that require gradients
/// accumulate them into <see cref="Grad"/> when <see cref="Backward()"/> runs on a result computed from them.
/// Reshape views share <see cref="Data"/>; every other op allocates its output.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>A tensor over <paramref name="data"/> (not copied), row-major with <paramref name="shape"/>.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var size = Shapes.Size(shape);
        if (size != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {size} elements, data has {data.Length}");
        this.data = data;
        Shape = (int[])shape.Clone();
        if (BufferScope.Current is { } current && current.Holds(data))
        {
            scope = current;
            current.Track(this);
        }
    }

    private readonly float[] data;
    private float[]? grad;

    // A gradient array kept by RecycleGrad for this tensor's next gradient (parameters: one array for every step).
    private float[]? spareGrad;

    // The scope whose pooled storage this tensor uses (null: storage from the runtime), and whether that scope ended.
    private readonly BufferScope? scope;
    private bool released;

    /// <summary>Row-major storage; its length equals <see cref="Size"/>. Throws once the tensor's <see cref="BufferScope"/> has ended.</summary>
    public float[] Data => released ? throw Ended() : data;

    /// <summary>Dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Optional label (for example the parameter's Hugging Face name) used in error messages.</summary>
    public string? Name { get; set; }

    /// <summary>True for leaves whose gradient is wanted (parameters) and for results computed from them.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Accumulated gradient (same layout as <see cref="Data"/>), allocated on first use.</summary>
    public float[]? Grad
    {
        get => released ? throw Ended() : grad;
        internal set => grad = value;
    }

    /// <summary>The op that produced this tensor, when it was recorded for autograd.</summary>
    internal Node? Node { get; set; }

    /// <summary>Dimension <paramref name="axis"/>; negative counts from the end.</summary>
    public int Dim(int axis) => Shape[axis < 0 ? axis + Shape.Length : axis];

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(BufferScope.Allocate(Shapes.Size(shape), zeroed: true), shape);

    /// <summary>
    /// Storage left uninitialised (pooled inside a <see cref="BufferScope"/>, else GC.AllocateUninitializedArray): for
    /// kernels that overwrite every entry of their output, which saves zeroing megabytes per op.
    /// </summary>
    public static Tensor Empty(params int[] shape) => new(BufferScope.Allocate(Shapes.Size(shape), zeroed: false), shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Zeros(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A one-element tensor of shape (1).</summary>
    public static Tensor Scalar(float value) => new([value], 1);

    /// <summary>Normal(0, std²) entries drawn from <paramref name="rng"/>.</summary>
    public static Tensor Randn(Rng rng, float std, params int[] shape)
    {
        var t = Zeros(shape);
        for (var i = 0; i < t.Data.Length; i++) t.Data[i] = std * rng.NextGaussian();
        return t;
    }

    /// <summary>Uniform [low, high) entries drawn from <paramref name="rng"/>.</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var t = Zeros(shape);
        for (var i = 0; i < t.Data.Length; i++) t.Data[i] = low + (high - low) * rng.NextFloat();
        return t;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs one element, tensor has shape [{string.Join(", ", Shape)}]");
        return Data[0];
    }

    /// <summary>The element at a full index.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Data[Shapes.Offset(Shape, index)];
        set => Data[Shapes.Offset(Shape, index)] = value;
    }

    /// <summary>Gradient storage, allocated (zeroed) on first use.</summary>
    public Span<float> GradSpan() => Grad ??= NewGradient(zeroed: true);

    /// <summary>Drops the accumulated gradient.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>
    /// Drops the accumulated gradient as <see cref="ZeroGrad"/> does (the tensor has no gradient until the next
    /// backward reaches it), but keeps its array for that next gradient, so that a parameter's gradient is not
    /// allocated and faulted in afresh every step. Only for callers that hold no reference to the old
    /// <see cref="Grad"/> array: the next backward overwrites it.
    /// </summary>
    public void RecycleGrad()
    {
        if (grad is { } g && scope is null) spareGrad = g;
        grad = null;
    }

    /// <summary>A deep copy of the values, cut from the autograd graph.</summary>
    public Tensor Clone() => new((float[])Data.Clone(), Shape);

    /// <summary>
    /// Storage for this tensor's gradient: from its scope when it has one, so that it is pooled too; else the array
    /// <see cref="RecycleGrad"/> kept, or a new one.
    /// </summary>
    private float[] NewGradient(bool zeroed)
    {
        if (scope is not null) return scope.Rent(Size, zeroed, gradient: true);
        if (spareGrad is not { } spare) return BufferScope.Fresh(Size, zeroed);
        spareGrad = null;
        if (zeroed) Array.Clear(spare);
        return spare;
    }

    /// <summary>Called by the tensor's scope as it ends: from now on its storage belongs to the pool.</summary>
    internal void Release() => released = true;

    private InvalidOperationException Ended() => new(
        $"{this} was made inside a BufferScope (one training step) that has ended, and its storage now serves other tensors; " +
        "read or Clone() what must outlive the step before the scope ends");

    /// <summary>The shape and name.</summary>
    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]{(Name is null ? "" : " " + Name)}";
}
