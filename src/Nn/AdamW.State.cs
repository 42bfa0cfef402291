using System.Globalization;
using CogLtx.Tensors;

namespace CogLtx.Nn;

public sealed partial class AdamW
{
    /// <summary>Default key prefix of the optimizer state in a safetensors file.</summary>
    public const string StatePrefix = "adamw.";

    /// <summary>
    /// The optimizer state as safetensors entries (torch's <c>optimizer.state_dict()</c>, keyed by parameter name):
    /// <c>{prefix}steps</c> (I64 [1], completed <see cref="Step"/> calls) and, for every parameter that has state,
    /// <c>{prefix}step.{name}</c> (I64 [1]), <c>{prefix}exp_avg.{name}</c> and <c>{prefix}exp_avg_sq.{name}</c> (F32).
    /// </summary>
    public IReadOnlyList<SafeTensorEntry> StateEntries(string prefix = StatePrefix)
    {
        var entries = new List<SafeTensorEntry> { SafeTensorEntry.FromInt64(prefix + "steps", [Steps], [1]) };
        foreach (var s in slots)
        {
            if (s.M is null || s.V is null) continue;
            entries.Add(SafeTensorEntry.FromInt64($"{prefix}step.{s.Name}", [s.Step], [1]));
            entries.Add(SafeTensorEntry.FromTensor($"{prefix}exp_avg.{s.Name}", new Tensor(s.M, s.Value.Shape)));
            entries.Add(SafeTensorEntry.FromTensor($"{prefix}exp_avg_sq.{s.Name}", new Tensor(s.V, s.Value.Shape)));
        }
        return entries;
    }

    /// <summary>The hyper-parameters, for a checkpoint's <c>__metadata__</c> (informational; loading ignores them).</summary>
    public IReadOnlyDictionary<string, string> StateMetadata(string prefix = StatePrefix) => new Dictionary<string, string>
    {
        [prefix + "lr"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
        [prefix + "beta1"] = Beta1.ToString("R", CultureInfo.InvariantCulture),
        [prefix + "beta2"] = Beta2.ToString("R", CultureInfo.InvariantCulture),
        [prefix + "eps"] = Eps.ToString("R", CultureInfo.InvariantCulture),
        [prefix + "weight_decay"] = string.Join(",", Groups.Select(g => g.WeightDecay.ToString("R", CultureInfo.InvariantCulture))),
    };

    /// <summary>Writes <see cref="StateEntries"/> and <see cref="StateMetadata"/> to <paramref name="path"/> atomically.</summary>
    public void SaveState(string path) => SafeTensors.Write(path, StateEntries(), StateMetadata());

    /// <summary>Restores the state written by <see cref="SaveState"/>.</summary>
    public void LoadState(string path) => LoadState(SafeTensors.Read(path));

    /// <summary>
    /// Restores the state from the <paramref name="prefix"/>ed entries of <paramref name="file"/> (other keys are
    /// ignored, so model weights may share the file). A parameter without entries starts fresh, as one that
    /// never had a gradient. Everything is checked before anything changes: state for an unknown parameter, a
    /// missing moment, or a shape that differs from the parameter's is an <see cref="InvalidDataException"/>.
    /// </summary>
    public void LoadState(SafeTensorsFile file, string prefix = StatePrefix)
    {
        var stepsKey = prefix + "steps";
        if (!file.Contains(stepsKey)) throw new InvalidDataException($"{file.Path}: no optimizer state: key {stepsKey} is missing");
        var byName = slots.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var loaded = new Dictionary<string, (long Step, float[] M, float[] V)>(StringComparer.Ordinal);
        foreach (var key in file.Names.Where(n => n.StartsWith(prefix + "step.", StringComparison.Ordinal)))
        {
            var name = key[(prefix.Length + "step.".Length)..];
            if (!byName.TryGetValue(name, out var slot)) { problems.Add($"state for unknown parameter {name}"); continue; }
            var m = ReadMoment(file, $"{prefix}exp_avg.{name}", slot, problems);
            var v = ReadMoment(file, $"{prefix}exp_avg_sq.{name}", slot, problems);
            var step = file.GetInt64(key);
            if (step.Length != 1 || step[0] < 1) { problems.Add($"{key}: expected one positive step count"); continue; }
            if (m is not null && v is not null) loaded[name] = (step[0], m, v);
        }
        foreach (var key in file.Names.Where(n => n.StartsWith(prefix + "exp_avg", StringComparison.Ordinal)))
        {
            var name = key[(key.IndexOf('.', prefix.Length) + 1)..];
            if (!file.Contains($"{prefix}step.{name}")) problems.Add($"{key} has no matching {prefix}step.{name}");
        }
        var steps = file.GetInt64(stepsKey);
        if (steps.Length != 1 || steps[0] < 0 || steps[0] > int.MaxValue) problems.Add($"{stepsKey}: expected one non-negative step count");
        if (problems.Count > 0) throw new InvalidDataException($"{file.Path}: optimizer state does not fit: " + string.Join("; ", problems));

        foreach (var s in slots)
        {
            if (loaded.TryGetValue(s.Name, out var state)) (s.Step, s.M, s.V) = state;
            else (s.Step, s.M, s.V) = (0, null, null);
        }
        Steps = (int)steps[0];
    }

    private static float[]? ReadMoment(SafeTensorsFile file, string key, Slot slot, List<string> problems)
    {
        if (!file.Contains(key)) { problems.Add($"missing {key}"); return null; }
        var shape = file.Shape(key);
        if (!Shapes.SameShape(shape, slot.Value.Shape))
        {
            problems.Add($"{key}: expected {Shapes.Format(slot.Value.Shape)}, file has {Shapes.Format(shape)}");
            return null;
        }
        return file.GetFloat(key).Data;
    }
}
