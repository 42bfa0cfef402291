using CogLtx.Tensors;

namespace CogLtx.Tensors.Tests;

/// <summary>
/// Finite-difference gradient check (tinygrad's helper_test_op idea, llm.c's fakeloss): project the output on a
/// random cotangent R, L = Σ out·R, and compare the analytic dL/dx with central differences
/// (L(x + ε) − L(x − ε))/2ε accumulated in double.
/// </summary>
internal static class GradCheck
{
    public static void Assert(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 1, float eps = 1e-2f, double atol = 2e-3, double rtol = 2e-2)
    {
        foreach (var t in inputs) t.ZeroGrad();
        var output = f(inputs);
        var r = new Rng(seed);
        var cotangent = new float[output.Size];
        for (var i = 0; i < cotangent.Length; i++) cotangent[i] = r.NextGaussian();
        output.Backward(cotangent);
        var first = inputs.Select(t => t.Grad is null ? null : (float[])t.Grad.Clone()).ToArray();
        // A second pass must add the same amount again: exercises the accumulate (+=) path of every kernel,
        // the first pass having taken the fresh-buffer (=) path.
        f(inputs).Backward(cotangent);
        for (var n = 0; n < inputs.Length; n++)
        {
            if (!inputs[n].RequiresGrad || first[n] is null) continue;
            for (var j = 0; j < inputs[n].Size; j++)
                Xunit.Assert.True(Math.Abs(inputs[n].Grad![j] - 2 * first[n]![j]) <= 1e-5 * (1 + Math.Abs(first[n]![j])),
                    $"input {n} element {j}: second backward gives {inputs[n].Grad![j]:G6}, expected 2 × {first[n]![j]:G6}");
            inputs[n].Grad = first[n];
        }
        for (var n = 0; n < inputs.Length; n++)
        {
            var x = inputs[n];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad is null ? new float[x.Size] : (float[])x.Grad.Clone();
            for (var j = 0; j < x.Size; j++)
            {
                var saved = x.Data[j];
                x.Data[j] = saved + eps;
                var plus = Project(f, inputs, cotangent);
                x.Data[j] = saved - eps;
                var minus = Project(f, inputs, cotangent);
                x.Data[j] = saved;
                var numeric = (plus - minus) / (2.0 * eps);
                var error = Math.Abs(numeric - analytic[j]);
                Xunit.Assert.True(error <= atol + rtol * Math.Abs(numeric),
                    $"input {n} {Shapes.Format(x.Shape)} element {j}: analytic {analytic[j]:G6}, numeric {numeric:G6}");
            }
        }
    }

    private static double Project(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] cotangent)
    {
        using var _ = Autograd.NoGrad();
        var y = f(inputs);
        double sum = 0;
        for (var i = 0; i < y.Size; i++) sum += (double)y.Data[i] * cotangent[i];
        return sum;
    }
}

/// <summary>Shared helpers for building test tensors and finding fixtures.</summary>
internal static class T
{
    /// <summary>A leaf with N(0, std²) entries that requires a gradient.</summary>
    public static Tensor Param(ulong seed, float std, params int[] shape)
    {
        var t = Tensor.Randn(new Rng(seed), std, shape);
        t.RequiresGrad = true;
        return t;
    }

    public static Tensor Param(ulong seed, params int[] shape) => Param(seed, 1f, shape);

    public static Tensor Of(float[] data, params int[] shape) => new(data, shape) { RequiresGrad = true };

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tol, string what = "")
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Xunit.Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9}");
    }

    /// <summary>
    /// The repository root: the folder holding CogLtx.sln, found walking up from the test binaries, or, when
    /// they were built elsewhere (COGLTX_ARTIFACTS), from this source file's compile-time path.
    /// </summary>
    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Above(AppContext.BaseDirectory) ?? Above(Path.GetDirectoryName(source) ?? "")
        ?? throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {source}");

    private static string? Above(string start)
    {
        var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }

    public static string Fixture(string name) => Path.Combine(RepoRoot(), "tests", "fixtures", "tensors", name);
}
