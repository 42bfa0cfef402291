using CogLtx.Tensors;

namespace CogLtx.Nn;

public abstract partial class Module
{
    private BufferPool? inferencePool;

    /// <summary>
    /// A scope for one inference call of this module whose results are read out (copied, decoded) before it ends
    /// (torch's <c>inference_mode()</c> together with its caching allocator): nothing is recorded for autograd, and
    /// every tensor made inside takes its storage from a pool this module keeps, so that the next call with the same
    /// shapes reuses those arrays instead of faulting in fresh pages (docs/performance.md, "Inference calls in a
    /// pool"). Tensors made inside end with the scope: reading one afterwards throws. Each thread's call gets its own
    /// scope on the shared, thread-safe pool.
    /// </summary>
    public IDisposable Inference() => new InferenceScope(Autograd.NoGrad(), LazyInitializer.EnsureInitialized(ref inferencePool).Begin());

    private sealed class InferenceScope(IDisposable noGrad, BufferScope buffers) : IDisposable
    {
        public void Dispose()
        {
            buffers.Dispose();
            noGrad.Dispose();
        }
    }
}
