using System.CommandLine;
using System.Text.Json;
using CogLtx.Models.Longformer;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench longformer</c>: LongformerModel (mini, window 128) forward and training throughput and peak
/// memory at growing lengths, with the torch-peer ratio where the peer measured that length.
/// </summary>
internal static class BenchLongformer
{
    public static Command Create()
    {
        var lengths = new Option<int[]>("--lengths") { Description = "Sequence lengths", DefaultValueFactory = _ => [.. LongformerBench.DefaultLengths], AllowMultipleArgumentsPerToken = true };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations per length (median)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a Markdown table" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var command = new Command("longformer", "Longformer (mini, window 128) throughput and peak memory at 1k-8k tokens");
        foreach (var o in new Option[] { lengths, iterations, json, threads }) command.Options.Add(o);
        command.SetAction(parseResult =>
        {
            var compute = ComputeOptions.Default;
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench longformer: --threads must be at least 1, got {n}"); return 2; }
                compute = compute with { Threads = n };
            }
            using var computeScope = ComputeOptions.Use(compute);
            var result = LongformerBench.Run(parseResult.GetValue(lengths), iterations: parseResult.GetValue(iterations), progress: Console.Error.WriteLine);
            Console.WriteLine(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true })
                : result.ToMarkdown());
            return 0;
        });
        return command;
    }
}
