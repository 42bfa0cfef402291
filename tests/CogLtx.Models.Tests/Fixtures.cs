using System.Runtime.CompilerServices;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>Paths to tests/fixtures/models and the parity check shared by the model tests.</summary>
internal static class Fixtures
{
    // Walk up from the test binaries; with COGLTX_ARTIFACTS they live outside the tree, so fall back to this
    // source file's location.
    private static readonly Lazy<string> Root = new(() =>
        WalkUp(AppContext.BaseDirectory) ?? WalkUp(Path.GetDirectoryName(SourcePath())!)
        ?? throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {SourcePath()}"));

    public static string RepoRoot => Root.Value;

    public static string ModelDir(string name) => Path.Combine(Root.Value, "tests", "fixtures", "models", name);

    public static SafeTensorsFile Expected(string name) => SafeTensors.Read(Path.Combine(ModelDir(name), "expected.safetensors"));

    public static int[] Ints(SafeTensorsFile file, string key) => file.GetInt64(key).Select(v => checked((int)v)).ToArray();

    /// <summary>The fixture's model inputs (input.*), shape (B, T).</summary>
    public static EncoderInput Input(SafeTensorsFile file)
    {
        var shape = file.Shape("input.input_ids");
        var tokenTypes = file.Contains("input.token_type_ids") ? Ints(file, "input.token_type_ids") : null;
        return new EncoderInput(Ints(file, "input.input_ids"), Ints(file, "input.attention_mask"), shape[0], shape[1], tokenTypes);
    }

    /// <summary>
    /// The suggested per-tensor check of the fixtures' README: max|a − b| ≤ 1e-5 + 1e-4·max|b|. It also holds for
    /// mathematically zero gradients, which it then compares absolutely (max|b| ≈ 0).
    /// </summary>
    public static void AssertClose(ReadOnlySpan<float> actual, Tensor expected, string label)
    {
        Assert.True(actual.Length == expected.Size, $"{label}: {actual.Length} values, expected {expected.Size}");
        float maxDiff = 0, maxRef = 0;
        var at = -1;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = MathF.Abs(actual[i] - expected.Data[i]);
            if (!(d <= maxDiff)) { maxDiff = d; at = i; }
            maxRef = MathF.Max(maxRef, MathF.Abs(expected.Data[i]));
        }
        var tol = 1e-5f + 1e-4f * maxRef;
        Assert.True(maxDiff <= tol,
            $"{label}: max|a-b| = {maxDiff:G4} at flat index {at} (a = {(at >= 0 ? actual[at] : 0):G6}, b = {(at >= 0 ? expected.Data[at] : 0):G6}) exceeds {tol:G4} (max|b| = {maxRef:G4})");
    }

    public static void AssertClose(Tensor actual, Tensor expected, string label)
    {
        Assert.True(Shapes.SameShape(actual.Shape, expected.Shape), $"{label}: shape {Shapes.Format(actual.Shape)}, expected {Shapes.Format(expected.Shape)}");
        AssertClose(actual.Data, expected, label);
    }

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        return null;
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;

    /// <summary>Σ x ⊙ r: the probe loss term of the fixtures.</summary>
    public static Tensor Probe(Tensor x, Tensor r) => Ops.Sum(Ops.Mul(x, Ops.Reshape(r, x.Shape)));

    /// <summary>
    /// Every parameter's gradient against <c>{prefix}{name}</c>; the fixture must have a gradient for exactly the
    /// model's parameters (a parameter that got none compares as zeros).
    /// </summary>
    public static void AssertGrads(Module model, SafeTensorsFile expected, string prefix)
    {
        var named = model.NamedParameters();
        var expectedNames = expected.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => n[prefix.Length..]).Order().ToList();
        Assert.Equal(expectedNames, named.Select(p => p.Name).Order().ToList());
        foreach (var (name, p) in named)
            AssertClose(p.Grad ?? new float[p.Size], expected.GetFloat(prefix + name), $"{prefix}{name}");
    }
}
