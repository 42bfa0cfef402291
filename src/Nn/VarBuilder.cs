using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>How a parameter is initialised when the builder creates it rather than loading it.</summary>
public abstract record Init
{
    /// <summary>Normal with mean 0.</summary>
    /// <param name="Std">Standard deviation.</param>
    public sealed record Normal(float Std) : Init;
    /// <summary>Every element the same.</summary>
    /// <param name="Value">The element value.</param>
    public sealed record Constant(float Value) : Init;

    /// <summary>Zeros.</summary>
    public static readonly Init Zeros = new Constant(0f);
    /// <summary>Ones.</summary>
    public static readonly Init Ones = new Constant(1f);
}

/// <summary>
/// Fetches parameters by dotted name under a prefix (candle's VarBuilder). Backed either by loaded tensors
/// (a checkpoint: shapes checked, legacy names gamma/beta accepted) or by an initialiser (training from scratch).
/// With <c>allowInit</c> a loading builder initialises keys the checkpoint lacks (a new head) and lists them in
/// <see cref="MissingKeys"/>. <see cref="UnusedKeys"/> lists checkpoint keys no module asked for.
/// </summary>
public sealed class VarBuilder
{
    private readonly Shared shared;

    private VarBuilder(Shared shared, string prefix)
    {
        this.shared = shared;
        Prefix = prefix;
    }

    /// <summary>Dotted prefix of this builder ("" at the root, else ending without a dot).</summary>
    public string Prefix { get; }

    /// <summary>
    /// Loads from <paramref name="tensors"/>; <paramref name="source"/> names the file in error messages. A key for which
    /// <paramref name="reinitOnShapeMismatch"/> answers true and whose tensor has another shape than the model's is
    /// initialised instead (listed in <see cref="MismatchedKeys"/>), as transformers' <c>ignore_mismatched_sizes</c>.
    /// </summary>
    public static VarBuilder FromTensors(IReadOnlyDictionary<string, Tensor> tensors, string source, Rng? initRng = null, bool allowInit = false,
        Func<string, bool>? reinitOnShapeMismatch = null) =>
        new(new Shared(tensors, source, initRng, allowInit, reinitOnShapeMismatch), "");

    /// <summary>Loads the floating tensors of a safetensors checkpoint (see <see cref="FromTensors"/>).</summary>
    public static VarBuilder FromSafeTensors(string path, Rng? initRng = null, bool allowInit = false)
    {
        var file = SafeTensors.Read(path);
        return FromTensors(file.FloatTensors(), file.Path, initRng, allowInit);
    }

    /// <summary>Creates every parameter fresh from its initialiser.</summary>
    public static VarBuilder Fresh(Rng rng) => new(new Shared(null, "fresh initialisation", rng, true), "");

    /// <summary>A builder whose names are prefixed with <paramref name="name"/>.</summary>
    public VarBuilder Pp(string name) => new(shared, Join(name));

    /// <summary>True if the backing checkpoint has the key (under any accepted spelling).</summary>
    public bool Contains(string name) => shared.Tensors is not null && Resolve(Join(name)) is not null;

    /// <summary>Gets (or creates) the tensor <paramref name="name"/> with the given shape.</summary>
    public Tensor Get(string name, int[] shape, Init init)
    {
        var key = Join(name);
        if (shared.Tensors is not null)
        {
            var found = Resolve(key);
            if (found is { } hit)
            {
                var t = shared.Tensors[hit];
                if (!Shapes.SameShape(t.Shape, shape) && shared.ReinitOnShapeMismatch?.Invoke(key) == true)
                {
                    lock (shared.Used) shared.Used.Add(hit);
                    lock (shared.Mismatched) shared.Mismatched.Add($"{key}: found shape {Shapes.Format(t.Shape)} in the checkpoint and {Shapes.Format(shape)} in the model");
                    var fresh = Create(shape, init);
                    fresh.Name = key;
                    return fresh;
                }
                if (!Shapes.SameShape(t.Shape, shape))
                    throw new InvalidDataException($"{shared.Source}: {key}: expected {Shapes.Format(shape)}, file has {Shapes.Format(t.Shape)}");
                lock (shared.Used) shared.Used.Add(hit);
                var copy = t.Clone();
                copy.Name = key;
                return copy;
            }
            if (!shared.AllowInit) throw new InvalidDataException($"{shared.Source}: missing key {key} (expected shape {Shapes.Format(shape)})");
            lock (shared.Missing) shared.Missing.Add(key);
        }
        var created = Create(shape, init);
        created.Name = key;
        return created;
    }

    /// <summary>Keys the model needed but the checkpoint lacked (initialised instead).</summary>
    public IReadOnlyList<string> MissingKeys => shared.Missing;

    /// <summary>Keys whose checkpoint tensor had another shape and was re-initialised ("key: found shape … and … in the model").</summary>
    public IReadOnlyList<string> MismatchedKeys => shared.Mismatched;

    /// <summary>Checkpoint keys never requested, sorted.</summary>
    public IReadOnlyList<string> UnusedKeys =>
        shared.Tensors is null ? [] : shared.Tensors.Keys.Where(k => !shared.Used.Contains(k)).Order().ToList();

    private string Join(string name) => Prefix.Length == 0 ? name : Prefix + "." + name;

    private string? Resolve(string key)
    {
        var tensors = shared.Tensors!;
        if (tensors.ContainsKey(key)) return key;
        // Legacy TensorFlow-era names (BERT checkpoints converted long ago): LayerNorm gamma/beta.
        if (key.EndsWith(".weight", StringComparison.Ordinal))
        {
            var legacy = key[..^".weight".Length] + ".gamma";
            if (tensors.ContainsKey(legacy)) return legacy;
        }
        if (key.EndsWith(".bias", StringComparison.Ordinal))
        {
            var legacy = key[..^".bias".Length] + ".beta";
            if (tensors.ContainsKey(legacy)) return legacy;
        }
        return null;
    }

    private Tensor Create(int[] shape, Init init)
    {
        var t = Tensor.Zeros(shape);
        switch (init)
        {
            case Init.Constant c:
                Array.Fill(t.Data, c.Value);
                break;
            case Init.Normal n:
                var rng = shared.InitRng ?? throw new InvalidOperationException("this VarBuilder has no RNG to initialise parameters");
                lock (rng)
                    for (var i = 0; i < t.Data.Length; i++) t.Data[i] = n.Std * rng.NextGaussian();
                break;
        }
        return t;
    }

    private sealed class Shared(IReadOnlyDictionary<string, Tensor>? tensors, string source, Rng? initRng, bool allowInit,
        Func<string, bool>? reinitOnShapeMismatch = null)
    {
        public Func<string, bool>? ReinitOnShapeMismatch { get; } = reinitOnShapeMismatch;
        public List<string> Mismatched { get; } = [];
        public IReadOnlyDictionary<string, Tensor>? Tensors { get; } = tensors;
        public string Source { get; } = source;
        public Rng? InitRng { get; } = initRng;
        public bool AllowInit { get; } = allowInit;
        public HashSet<string> Used { get; } = [];
        public List<string> Missing { get; } = [];
    }
}
