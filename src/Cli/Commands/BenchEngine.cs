using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CogLtx.Tensors;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench engine [--sizes 512,1024,2048]</c>: square sgemm throughput (2·n³ flops per call) on the OpenBLAS
/// path and on the managed path, at each n; the median of several timed calls after a warm-up call.
/// </summary>
internal static class BenchEngine
{
    private static readonly int[] DefaultSizes = [512, 1024, 2048];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"threads\":..,\"openblas\":{\"512\":gflops,..},\"managed\":{..}}" };
        var threads = new Option<int?>("--threads") { Description = "GEMM threads (default: env COGLTX_THREADS, else the processor count)" };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated cube sizes n", DefaultValueFactory = _ => string.Join(',', DefaultSizes) };
        var command = new Command("engine", "Measure GEMM GFLOP/s of the OpenBLAS and managed paths (512, 1024, 2048 cubes)");
        command.Options.Add(json);
        command.Options.Add(threads);
        command.Options.Add(sizes);
        command.SetAction(parseResult => Run(parseResult.GetValue(json), parseResult.GetValue(threads), parseResult.GetValue(sizes)!));
        return command;
    }

    private static int Run(bool json, int? threads, string sizeList)
    {
        var sizes = new List<int>();
        foreach (var part in sizeList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                Console.Error.WriteLine($"bench engine: --sizes expects positive integers separated by commas, got '{part}' in '{sizeList}'");
                return 2;
            }
            sizes.Add(n);
        }
        if (sizes.Count == 0)
        {
            Console.Error.WriteLine("bench engine: --sizes names no size");
            return 2;
        }
        var compute = ComputeOptions.Default;
        if (threads is { } t)
        {
            if (t < 1)
            {
                Console.Error.WriteLine($"bench engine: --threads must be at least 1, got {t}");
                return 2;
            }
            compute = compute with { Threads = t };
        }
        var native = compute with { ForceManaged = false };
        var openBlas = Gemm.OpenBlasAvailable ? Measure(sizes, native) : null;
        var backendName = Gemm.OpenBlasAvailable ? native.Backend : "openblas (not loaded)";
        var managedPath = Measure(sizes, compute with { ForceManaged = true });
        if (json) WriteJson(compute.Threads, openBlas, managedPath);
        else WriteTable(compute.Threads, sizes, backendName, openBlas, managedPath);
        return 0;
    }

    private static Dictionary<int, double> Measure(IReadOnlyList<int> sizes, ComputeOptions compute)
    {
        var result = new Dictionary<int, double>();
        foreach (var n in sizes) result[n] = Gflops(compute, n, runs: n >= 2048 ? 3 : n >= 1024 ? 5 : 9);
        return result;
    }

    private static double Gflops(ComputeOptions compute, int n, int runs)
    {
        var rng = new Rng(1);
        var a = Tensor.Randn(rng, 1f, n, n).Data;
        var b = Tensor.Randn(rng, 1f, n, n).Data;
        var c = new float[n * n];
        Gemm.Sgemm(compute, false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);   // warm-up: JIT, pack buffers, BLAS threads
        var seconds = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            Gemm.Sgemm(compute, false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            seconds[r] = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);   // a tiny cube can finish within the clock's resolution
        }
        Array.Sort(seconds);
        return 2.0 * n * n * n / seconds[runs / 2] / 1e9;
    }

    private static void WriteJson(int threads, Dictionary<int, double>? openBlas, Dictionary<int, double> managed)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("threads", threads);
            if (openBlas is null) w.WriteNull("openblas");
            else WriteSizes(w, "openblas", openBlas);
            WriteSizes(w, "managed", managed);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    private static void WriteSizes(Utf8JsonWriter w, string name, Dictionary<int, double> values)
    {
        w.WriteStartObject(name);
        foreach (var (n, gflops) in values) w.WriteNumber(n.ToString(CultureInfo.InvariantCulture), Math.Round(gflops, 1));
        w.WriteEndObject();
    }

    private static void WriteTable(int threads, IReadOnlyList<int> sizes, string backendName, Dictionary<int, double>? openBlas, Dictionary<int, double> managed)
    {
        var table = new Table().AddColumn("n").AddColumn(new TableColumn(Markup.Escape(backendName)).RightAligned()).AddColumn(new TableColumn("managed").RightAligned());
        foreach (var n in sizes)
            table.AddRow($"{n}³", openBlas is null ? "–" : $"{openBlas[n]:F1}", $"{managed[n]:F1}");
        AnsiConsole.MarkupLine($"sgemm GFLOP/s, median, {threads} thread(s)");
        AnsiConsole.Write(table);
    }
}
