using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>
/// Base of every layer and model (torch.nn.Module): named parameters with dotted Hugging Face-style paths,
/// child modules, train/eval mode. Names are given explicitly at registration, never taken from field names,
/// so a C# rename cannot change a checkpoint key.
/// </summary>
public abstract partial class Module
{
    private readonly List<(string Name, Tensor Value)> parameters = [];
    private readonly List<(string Name, Module Value)> children = [];

    /// <summary>True in training mode (dropout active).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable parameter under <paramref name="name"/> (relative to this module).</summary>
    protected Tensor Param(string name, Tensor value)
    {
        value.RequiresGrad = true;
        parameters.Add((name, value));
        return value;
    }

    /// <summary>
    /// Registers a child module under <paramref name="name"/>; its parameters get the prefix "name.". An empty name
    /// puts the child's parameters at this module's own level (a wrapper that shares the layout of the model it wraps).
    /// </summary>
    protected T Child<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    /// <summary>All parameters with their full dotted names, each tensor once (a tied tensor keeps its first name).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> NamedParameters()
    {
        var result = new List<(string, Tensor)>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        Collect("", result, seen);
        return result;
    }

    /// <summary>The parameters, in the order of <see cref="NamedParameters"/>.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    private void Collect(string prefix, List<(string, Tensor)> into, HashSet<Tensor> seen)
    {
        foreach (var (name, value) in parameters)
            if (seen.Add(value)) into.Add((prefix + name, value));
        foreach (var (name, child) in children)
            child.Collect(name.Length == 0 ? prefix : prefix + name + ".", into, seen);
    }

    /// <summary>Sets training mode on this module and all children.</summary>
    public void Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, child) in children) child.Train(mode);
    }

    /// <summary>Evaluation mode (dropout off).</summary>
    public void Eval() => Train(false);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Name → tensor (sharing storage with the parameters).</summary>
    public Dictionary<string, Tensor> StateDict() => NamedParameters().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>
    /// Copies values from <paramref name="state"/> into the parameters with the same names.
    /// Throws naming every missing key and shape mismatch; unexpected keys are an error when <paramref name="strict"/>.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true) => LoadStateDict(state, strict, "state dict");

    /// <summary>As <see cref="LoadStateDict(IReadOnlyDictionary{string, Tensor}, bool)"/>; <paramref name="source"/> (a file path) starts the error message.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict, string source)
    {
        var problems = new List<string>();
        var own = NamedParameters();
        foreach (var (name, p) in own)
        {
            if (!state.TryGetValue(name, out var src)) { problems.Add($"missing key {name}"); continue; }
            if (!Shapes.SameShape(src.Shape, p.Shape))
                problems.Add($"{name}: expected {Shapes.Format(p.Shape)}, found {Shapes.Format(src.Shape)}");
        }
        if (strict)
        {
            var names = own.Select(p => p.Name).ToHashSet();
            problems.AddRange(state.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"unexpected key {k}"));
        }
        if (problems.Count > 0) throw new InvalidDataException($"{source} does not fit the model: " + string.Join("; ", problems));
        foreach (var (name, p) in own) state[name].Data.AsSpan().CopyTo(p.Data);
    }
}
