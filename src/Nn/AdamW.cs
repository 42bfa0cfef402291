using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>Parameters that share a weight decay (torch's param_groups, with only weight_decay varying).</summary>
public sealed record ParameterGroup(IReadOnlyList<(string Name, Tensor Value)> Parameters, double WeightDecay);

/// <summary>
/// torch.optim.AdamW (torch/optim/adamw.py → adam.py <c>_single_tensor_adam</c>, decoupled weight decay), step
/// t counted per parameter, g the gradient:
/// <code>
/// p ← p·(1 − lr·wd)
/// m ← m + (1 − β1)(g − m)                 (lerp, as torch)
/// v ← β2·v + (1 − β2)·g²
/// p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
/// </code>
/// ε is added after the bias correction of √v, as in torch. Parameters whose <c>Grad</c> is null are skipped
/// (no decay, no moment update, step not advanced), as torch skips <c>p.grad is None</c>. Scalars are computed in
/// double and applied in float32, as torch applies Python floats to float tensors.
/// </summary>
public sealed partial class AdamW
{
    /// <summary>Elements per chunk: the ten TensorPrimitives passes of one chunk run on data still in L1/L2.</summary>
    private const int Chunk = 2048;

    /// <summary>Tensors at least this large are updated by several threads, chunk ranges split between them.</summary>
    private const int ParallelThreshold = 1 << 18;

    private readonly List<Slot> slots = [];

    /// <summary>One group: every parameter decays with <paramref name="weightDecay"/> (torch default 0.01).</summary>
    public AdamW(IEnumerable<(string Name, Tensor Value)> parameters, double learningRate = 1e-3, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : this([new ParameterGroup(parameters.ToList(), weightDecay)], learningRate, beta1, beta2, eps)
    {
    }

    /// <summary>Several groups with their own weight decay (see <see cref="DecayGroups"/>).</summary>
    public AdamW(IEnumerable<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"learning rate must be ≥ 0, got {learningRate}");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"beta1 must be in [0, 1), got {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), $"beta2 must be in [0, 1), got {beta2}");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"eps must be ≥ 0, got {eps}");
        Groups = groups.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var group in Groups)
        {
            if (!(group.WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(groups), $"weight decay must be ≥ 0, got {group.WeightDecay}");
            foreach (var (name, value) in group.Parameters)
            {
                if (!names.Add(name)) throw new ArgumentException($"parameter name {name} appears twice in the optimizer", nameof(groups));
                if (!tensors.Add(value)) throw new ArgumentException($"parameter {name} is the same tensor as an earlier parameter (tied weights are listed once)", nameof(groups));
                slots.Add(new Slot(name, value, group.WeightDecay));
            }
        }
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
    }

    /// <summary>The learning rate the next <see cref="Step"/> uses; a schedule sets it before each step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Decay rate of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the square root of the second moment.</summary>
    public double Eps { get; }

    /// <summary>The parameter groups (each with its weight decay).</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Number of completed <see cref="Step"/> calls (the schedule's step index).</summary>
    public int Steps { get; private set; }

    /// <summary>Every parameter with its name, in group order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Parameters => slots.Select(s => (s.Name, s.Value)).ToList();

    /// <summary>
    /// The usual transformer split (HF run_glue's <c>no_decay = ["bias", "LayerNorm.weight"]</c>): biases and
    /// LayerNorm weights (also legacy <c>gamma</c>/<c>beta</c> and <c>layer_norm</c> spellings) get no decay, the
    /// rest <paramref name="weightDecay"/>. Empty groups are dropped.
    /// </summary>
    public static IReadOnlyList<ParameterGroup> DecayGroups(IEnumerable<(string Name, Tensor Value)> parameters, double weightDecay)
    {
        var decay = new List<(string, Tensor)>();
        var noDecay = new List<(string, Tensor)>();
        foreach (var p in parameters)
            (IsNoDecay(p.Name) ? noDecay : decay).Add(p);
        var groups = new List<ParameterGroup>();
        if (decay.Count > 0) groups.Add(new ParameterGroup(decay, weightDecay));
        if (noDecay.Count > 0) groups.Add(new ParameterGroup(noDecay, 0));
        return groups;
    }

    private static bool IsNoDecay(string name)
    {
        var leaf = name[(name.LastIndexOf('.') + 1)..];
        if (leaf is "bias" or "beta" or "gamma") return true;
        return leaf == "weight" && (name.Contains("LayerNorm.", StringComparison.Ordinal) || name.Contains("layer_norm.", StringComparison.Ordinal));
    }

    /// <summary>
    /// Drops every parameter's gradient (torch's <c>zero_grad(set_to_none=True)</c>: a parameter the next backward
    /// does not reach gets no update), keeping each array for that parameter's next gradient
    /// (<see cref="Tensor.RecycleGrad"/>).
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var s in slots) s.Value.RecycleGrad();
    }

    /// <summary>
    /// One AdamW update of every parameter that has a gradient, at <see cref="LearningRate"/>. Throws
    /// <see cref="NonFiniteException"/> naming the parameters if any gradient holds NaN or ±∞; nothing is changed then.
    /// </summary>
    public void Step()
    {
        var bad = slots.Where(s => s.Value.Grad is { } g && !float.IsFinite(TensorPrimitives.MaxMagnitude<float>(g))).Select(s => s.Name).ToList();
        if (bad.Count > 0)
            throw new NonFiniteException($"AdamW step {Steps + 1}: non-finite gradient in {bad.Count} parameter(s): {string.Join(", ", bad.Take(5))}{(bad.Count > 5 ? ", …" : "")}", bad);
        foreach (var s in slots)
        {
            if (s.Value.Grad is not { } grad) continue;
            s.M ??= new float[grad.Length];
            s.V ??= new float[grad.Length];
            s.Step++;
            Update(s.Value.Data, grad, s.M, s.V, Scalars.For(this, s));
        }
        Steps++;
    }

    /// <summary>The per-step constants, in double then rounded to float32 as torch applies them.</summary>
    private readonly record struct Scalars(float Decay, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float BiasCorrection2Sqrt, float Eps, float NegStepSize)
    {
        public static Scalars For(AdamW o, Slot s)
        {
            var biasCorrection1 = 1 - Math.Pow(o.Beta1, s.Step);
            var biasCorrection2 = 1 - Math.Pow(o.Beta2, s.Step);
            return new((float)(1 - o.LearningRate * s.WeightDecay), (float)(1 - o.Beta1), (float)o.Beta2, (float)(1 - o.Beta2),
                (float)Math.Sqrt(biasCorrection2), (float)o.Eps, (float)(-o.LearningRate / biasCorrection1));
        }
    }

    private static void Update(float[] p, float[] g, float[] m, float[] v, Scalars c)
    {
        var chunks = (p.Length + Chunk - 1) / Chunk;
        if (p.Length < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            UpdateChunks(p, g, m, v, c, 0, chunks);
            return;
        }
        var workers = Math.Min(Environment.ProcessorCount, chunks);
        Parallel.For(0, workers, w => UpdateChunks(p, g, m, v, c, chunks * w / workers, chunks * (w + 1) / workers));
    }

    private static void UpdateChunks(float[] p, float[] g, float[] m, float[] v, Scalars c, int firstChunk, int endChunk)
    {
        Span<float> t = stackalloc float[Chunk];
        for (var k = firstChunk; k < endChunk; k++)
        {
            var start = k * Chunk;
            var n = Math.Min(Chunk, p.Length - start);
            var pc = p.AsSpan(start, n);
            ReadOnlySpan<float> gc = g.AsSpan(start, n);
            var mc = m.AsSpan(start, n);
            var vc = v.AsSpan(start, n);
            var tc = t[..n];
            if (c.Decay != 1f) TensorPrimitives.Multiply(pc, c.Decay, pc);        // p ← p·(1 − lr·wd)
            TensorPrimitives.Lerp(mc, gc, c.OneMinusBeta1, mc);                    // m ← m + (1−β1)(g − m)
            TensorPrimitives.Multiply(vc, c.Beta2, vc);                            // v ← β2·v
            TensorPrimitives.Multiply(gc, gc, tc);
            TensorPrimitives.MultiplyAdd(tc, c.OneMinusBeta2, vc, vc);             //   + (1−β2)·g²
            TensorPrimitives.Sqrt(vc, tc);
            TensorPrimitives.Divide(tc, c.BiasCorrection2Sqrt, tc);
            TensorPrimitives.Add(tc, c.Eps, tc);                                   // d = √v/√(1−β2ᵗ) + ε
            TensorPrimitives.Divide(mc, tc, tc);
            TensorPrimitives.MultiplyAdd(tc, c.NegStepSize, pc, pc);               // p ← p − lr/(1−β1ᵗ) · m/d
        }
    }

    /// <summary>A parameter and its Adam state (moments allocated at its first step, as torch does).</summary>
    private sealed class Slot(string name, Tensor value, double weightDecay)
    {
        public string Name { get; } = name;
        public Tensor Value { get; } = value;
        public double WeightDecay { get; } = weightDecay;
        public long Step { get; set; }
        public float[]? M { get; set; }
        public float[]? V { get; set; }
    }
}
