using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models;

/// <summary>
/// The work of <c>cogltx encode</c>: read int64 model inputs from a safetensors file, run a checkpoint in eval mode
/// without recording gradients, write its outputs under transformers' output names.
/// </summary>
public static class EncodeRunner
{
    /// <summary>
    /// Loads <paramref name="modelDir"/>, encodes <paramref name="inputPath"/>, writes <paramref name="outputPath"/>; returns
    /// what was written. A checkpoint that lacks weights of the model its config names (a head, a pooler) is an error:
    /// those outputs would come from a random initialisation. With <paramref name="baseOnly"/> only the encoder runs
    /// (the head, if any, is not built) and only the outputs it has weights for are written: <c>last_hidden_state</c>,
    /// and <c>pooler_output</c> when the checkpoint holds the pooler.
    /// </summary>
    public static (IReadOnlyDictionary<string, Tensor> Outputs, LoadReport Report) Run(string modelDir, string inputPath, string outputPath,
        LoadOptions? options = null, bool baseOnly = false)
    {
        var input = ReadInput(inputPath);
        var (model, report) = ModelLoader.Load(modelDir, baseOnly ? HfTask.Base : null, options);
        if (!baseOnly && report.MissingKeys.Count > 0)
            throw new InvalidDataException(
                $"{string.Join(", ", report.WeightsFiles)}: no weights for part of {model.Architecture} (missing keys: " +
                $"{string.Join(", ", report.MissingKeys)}); its outputs would come from a random initialisation. " +
                "Use --base-only for the encoder's outputs alone.");
        var outputs = Encode(model, input);
        if (baseOnly && report.MissingKeys.Any(k => k.StartsWith("pooler.", StringComparison.Ordinal)))
            outputs = outputs.Where(kv => kv.Key != "pooler_output").ToDictionary(kv => kv.Key, kv => kv.Value);
        SafeTensors.Write(outputPath, outputs.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            new Dictionary<string, string> { ["architecture"] = model.Architecture, ["model"] = Path.GetFullPath(modelDir) });
        return (outputs, report);
    }

    /// <summary>Eval mode, no gradient recording.</summary>
    public static IReadOnlyDictionary<string, Tensor> Encode(IHfModel model, EncoderInput input)
    {
        model.Module.Eval();
        using var _ = Autograd.NoGrad();
        return model.Run(input);
    }

    /// <summary>
    /// Reads <c>input_ids</c> (B, T) or (T), and optionally <c>attention_mask</c> (default all ones, as transformers),
    /// <c>token_type_ids</c> and <c>global_attention_mask</c>, all of the same shape and of an integer dtype.
    /// </summary>
    public static EncoderInput ReadInput(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"input file not found: {path}", path);
        var file = SafeTensors.Read(path);
        var idsKey = Key(file, "input_ids") ?? throw new InvalidDataException(
            $"{path}: no input_ids tensor (found: {string.Join(", ", file.Names)})");
        var shape = file.Shape(idsKey);
        if (shape.Length is not (1 or 2)) throw new InvalidDataException($"{path}: {idsKey} must be (batch, length) or (length), found {Shapes.Format(shape)}");
        var (batch, length) = shape.Length == 2 ? (shape[0], shape[1]) : (1, shape[0]);
        var ids = Read(file, idsKey, shape, path)!;
        var mask = Read(file, Key(file, "attention_mask"), shape, path) ?? Enumerable.Repeat(1, ids.Length).ToArray();
        var types = Read(file, Key(file, "token_type_ids"), shape, path);
        var global = Read(file, Key(file, "global_attention_mask"), shape, path);
        return new EncoderInput(ids, mask, batch, length, types, global);
    }

    private static string? Key(SafeTensorsFile file, string name) =>
        file.Contains(name) ? name : file.Contains("input." + name) ? "input." + name : null;

    private static int[]? Read(SafeTensorsFile file, string? key, int[] shape, string path)
    {
        if (key is null) return null;
        if (!Shapes.SameShape(file.Shape(key), shape))
            throw new InvalidDataException($"{path}: {key} has shape {Shapes.Format(file.Shape(key))}, input_ids has {Shapes.Format(shape)}");
        var dtype = file.Dtype(key);
        if (dtype is "F32" or "F16" or "BF16" or "F64")
            throw new InvalidDataException($"{path}: {key} is {dtype}; ids and masks must be integers (I64)");
        return file.GetInt64(key).Select(v => v is < int.MinValue or > int.MaxValue
            ? throw new InvalidDataException($"{path}: {key} holds {v}, outside the int range")
            : (int)v).ToArray();
    }
}
