using System.CommandLine;
using System.Text.Json;
using CogLtx.Models.Longformer;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench longformer</c>: LongformerModel (mini, window 128) forward and training throughput and peak
/// memory at growing lengths: median, range and spread over the repeats, with the torch peer's figure and our
/// ratio where the peer measured that length (its JSON with <c>--peer</c>, else the README's figures, labelled).
/// </summary>
internal static class BenchLongformer
{
    public static Command Create()
    {
        var lengths = new Option<int[]>("--lengths") { Description = "Sequence lengths", DefaultValueFactory = _ => [.. LongformerBench.DefaultLengths], AllowMultipleArgumentsPerToken = true };
        var repeats = new Option<int>("--repeats", "--iterations") { Description = "Timed repeats per figure (median, range and spread)", DefaultValueFactory = _ => 3 };
        var peerFile = new Option<string?>("--peer") { Description = "The torch peer's JSON (bench_bert.py output): its figure and the ratio beside ours" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a Markdown table" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var command = new Command("longformer", "Longformer (mini, window 128) throughput and peak memory at 1k-8k tokens, median and spread, beside the torch peer");
        foreach (var o in new Option[] { lengths, repeats, peerFile, json, threads }) command.Options.Add(o);
        command.SetAction(parseResult =>
        {
            var compute = ComputeOptions.Default;
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench longformer: --threads must be at least 1, got {n}"); return 2; }
                compute = compute with { Threads = n };
            }
            var iterations = parseResult.GetValue(repeats);
            if (iterations < 1) { Console.Error.WriteLine($"bench longformer: --repeats must be at least 1, got {iterations}"); return 2; }
            (IReadOnlyDictionary<int, (double Forward, double Train)>, string)? peer = null;
            if (parseResult.GetValue(peerFile) is { } pf)
            {
                try
                {
                    peer = (PeerJson.Longformer(PeerJson.Read(pf), pf), $"--peer {Path.GetFileName(pf)}");
                }
                catch (IOException e)
                {
                    Console.Error.WriteLine($"bench longformer: {e.Message}");
                    return 2;
                }
            }
            using var computeScope = ComputeOptions.Use(compute);
            var result = LongformerBench.Run(parseResult.GetValue(lengths), iterations: iterations, progress: Console.Error.WriteLine, peer: peer);
            Console.WriteLine(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, IncludeFields = true })
                : result.ToMarkdown());
            return 0;
        });
        return command;
    }
}
