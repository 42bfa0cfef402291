namespace CogLtx.Tensors;

/// <summary>
/// One recorded op: the inputs it read and a closure that adds the output's gradient into theirs
/// (micrograd's <c>_backward</c>, at the granularity of whole kernels).
/// </summary>
internal sealed class Node(Tensor[] inputs, Action backward)
{
    public Tensor[] Inputs { get; } = inputs;
    public Action Backward { get; } = backward;
}

/// <summary>Reverse-mode autograd: recording, the no-grad scope and the backward walk.</summary>
public static class Autograd
{
    [ThreadStatic] private static int disabledDepth;

    /// <summary>False inside a <see cref="NoGrad"/> scope on this thread.</summary>
    public static bool IsEnabled => disabledDepth == 0;

    /// <summary>Disables recording on this thread until the returned scope is disposed (torch.no_grad()).</summary>
    public static IDisposable NoGrad() => new NoGradScope();

    /// <summary>
    /// Attaches <paramref name="backward"/> to <paramref name="output"/> when recording is on and some input
    /// requires a gradient. The closure reads <c>output.Grad</c> and accumulates into the inputs' grads
    /// (only those with <c>RequiresGrad</c>).
    /// </summary>
    public static Tensor Record(Tensor output, Tensor[] inputs, Action backward)
    {
        if (!IsEnabled) return output;
        var any = false;
        foreach (var t in inputs)
            if (t.RequiresGrad) { any = true; break; }
        if (!any) return output;
        output.RequiresGrad = true;
        output.Node = new Node(inputs, backward);
        return output;
    }

    /// <summary>Runs the recorded graph backwards from <paramref name="root"/> seeded with <paramref name="seed"/>.</summary>
    public static void Backward(Tensor root, ReadOnlySpan<float> seed)
    {
        if (!root.RequiresGrad) throw new InvalidOperationException("backward on a tensor that does not require grad");
        if (seed.Length != root.Size) throw new ArgumentException($"seed has {seed.Length} elements, tensor has {root.Size}");
        var order = TopologicalOrder(root);
        var g = root.GradSpan();
        for (var i = 0; i < g.Length; i++) g[i] += seed[i];
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (t.Grad is null) continue;
            t.Node!.Backward();
            // Intermediate gradients are not needed once propagated; free them (leaves keep theirs).
            t.DropGrad();
        }
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (t, expanded) = stack.Pop();
            if (expanded) { order.Add(t); continue; }
            if (t.Node is null || !visited.Add(t)) continue;
            stack.Push((t, true));
            foreach (var input in t.Node.Inputs)
                if (input.Node is not null && !visited.Contains(input)) stack.Push((input, false));
        }
        return order;
    }

    private sealed class NoGradScope : IDisposable
    {
        private bool disposed;

        public NoGradScope() => disabledDepth++;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            disabledDepth--;
        }
    }
}

public sealed partial class Tensor
{
    /// <summary>Backpropagates from a one-element tensor (d self / d self = 1).</summary>
    public void Backward()
    {
        if (Size != 1) throw new InvalidOperationException($"Backward() without a seed needs a scalar, tensor has shape {Shapes.Format(Shape)}");
        Autograd.Backward(this, [1f]);
    }

    /// <summary>Backpropagates with an explicit output gradient (vector-Jacobian product).</summary>
    public void Backward(ReadOnlySpan<float> seed) => Autograd.Backward(this, seed);

    /// <summary>Drops the gradient of an intermediate tensor after backward has propagated it; pooled storage goes back at once.</summary>
    internal void DropGrad()
    {
        var g = grad;
        grad = null;
        if (g is not null) scope?.Dropped(g);
    }

    /// <summary>
    /// The gradient buffer a backward kernel writes into. On the first contribution (no gradient yet) a new,
    /// uninitialised buffer is attached and <paramref name="fresh"/> is true: the kernel must then write every
    /// entry (=) rather than accumulate (+=), which saves zeroing and re-reading a buffer per op.
    /// </summary>
    internal float[] GradBuffer(out bool fresh)
    {
        if (Grad is { } g)
        {
            fresh = false;
            return g;
        }
        fresh = true;
        return Grad = NewGradient(zeroed: false);
    }

    /// <summary>
    /// Adds <paramref name="g"/> (same layout) into the gradient. With no gradient yet, <paramref name="adopt"/>
    /// takes <paramref name="g"/> itself as the buffer: the caller hands it over (an op output's gradient,
    /// which autograd drops right after that op's backward); otherwise it is copied. Pooled storage of the current
    /// <see cref="BufferScope"/> is copied too when this tensor does not live in that scope (a parameter), since the
    /// scope takes it back when it ends.
    /// </summary>
    internal void AccumulateGrad(float[] g, bool adopt)
    {
        if (Grad is null)
        {
            var reclaimedElsewhere = BufferScope.Current is { } current && current.Holds(g) && !ReferenceEquals(scope, current);
            if (adopt && !reclaimedElsewhere)
            {
                Grad = g;
                spareGrad = null;
                scope?.HandOver(g);
                return;
            }
            var copy = NewGradient(zeroed: false);
            g.AsSpan().CopyTo(copy);
            Grad = copy;
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(Grad, g, Grad);
    }
}
