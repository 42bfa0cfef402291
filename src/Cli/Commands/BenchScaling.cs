using System.CommandLine;
using System.Text.Json;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Scaling;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench scaling</c>: CogLTX training memory and inference time against document length (1k to 16k tokens),
/// beside the sliding-window baseline ([P] §4.5, Fig. 6). See <see cref="ScalingBench"/>.
/// </summary>
internal static class BenchScaling
{
    public static Command Create()
    {
        var lengths = new Option<int[]>("--lengths") { Description = "Document lengths in tokens", DefaultValueFactory = _ => [.. ScalingOptions.DefaultLengths], AllowMultipleArgumentsPerToken = true };
        var train = new Option<int>("--train-docs") { Description = "Training documents per length (one epoch)", DefaultValueFactory = _ => 8 };
        var test = new Option<int>("--test-docs") { Description = "Timed test documents per length", DefaultValueFactory = _ => 4 };
        var layers = new Option<int>("--layers") { Description = "Encoder layers", DefaultValueFactory = _ => 2 };
        var hidden = new Option<int>("--hidden") { Description = "Encoder hidden size (heads = hidden / 64, intermediate = 4 × hidden)", DefaultValueFactory = _ => 128 };
        var noSliding = new Option<bool>("--no-sliding") { Description = "Measure CogLTX only" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a Markdown table" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var command = new Command("scaling", "CogLTX training memory and inference time at 1k-16k-token documents, beside sliding windows");
        foreach (var o in new Option[] { lengths, train, test, layers, hidden, noSliding, json, threads }) command.Options.Add(o);
        command.SetAction((parseResult, ct) =>
        {
            var compute = ComputeOptions.Default;
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench scaling: --threads must be at least 1, got {n}"); return Task.FromResult(2); }
                compute = compute with { Threads = n };
            }
            using var computeScope = ComputeOptions.Use(compute);
            var h = parseResult.GetValue(hidden);
            var options = new ScalingOptions
            {
                Lengths = parseResult.GetValue(lengths)!,
                TrainDocuments = parseResult.GetValue(train),
                TestDocuments = parseResult.GetValue(test),
                Model = new ModelConfig { Layers = parseResult.GetValue(layers), Hidden = h, Heads = Math.Max(1, h / 64), Intermediate = 4 * h },
                SlidingWindow = !parseResult.GetValue(noSliding),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"bench scaling: {e.Message}");
                return Task.FromResult(2);
            }
            var result = ScalingBench.Run(options, line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"), ct);
            Console.WriteLine(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
                : result.ToMarkdown());
            return Task.FromResult(0);
        });
        return command;
    }
}
