using CogLtx.Tensors;

namespace CogLtx.Nn;

/// <summary>
/// A checkpoint file of named tensors, whatever its format: <see cref="SafeTensorsFile"/> or
/// <see cref="Torch.PyTorchCheckpoint"/>. <see cref="WeightsFiles.Open"/> picks the reader by file name.
/// </summary>
public interface IWeightsFile
{
    /// <summary>The file's full path.</summary>
    string Path { get; }

    /// <summary>Tensor names, sorted ordinally.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The stored dtype as a safetensors dtype string ("F32", "F16", "BF16", "F64", "I64", …).</summary>
    string Dtype(string name);

    /// <summary>The tensor's shape.</summary>
    int[] Shape(string name);

    /// <summary>A floating tensor converted to float32, with <c>Tensor.Name = name</c>.</summary>
    Tensor GetFloat(string name);
}

/// <summary>Opens a weights file with the reader its name calls for.</summary>
public static class WeightsFiles
{
    /// <summary><c>*.safetensors</c> with <see cref="SafeTensors.Read"/>; <c>*.bin</c> / <c>*.pt</c> / <c>*.pth</c> with <see cref="Torch.PyTorchCheckpoint.Read"/>.</summary>
    public static IWeightsFile Open(string path) =>
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? SafeTensors.Read(path)
            : path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)
                ? Torch.PyTorchCheckpoint.Read(path)
                : throw new NotSupportedException($"{path}: unknown weights format (expected .safetensors or a torch.save .bin)");
}
