using System.CommandLine;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Scaling;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench inference CONFIG</c>: CogLTX evaluation time document by document, batched across documents, and
/// head truncation's, on an experiment config's data and encoder. See <see cref="InferenceBench"/>.
/// </summary>
internal static class BenchInference
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Experiment config (e.g. experiments/20news/config.minilm.json)" };
        var docs = new Option<int>("--docs") { Description = "Test documents (the config's seeded subset, limited)", DefaultValueFactory = _ => 48 };
        var repeats = new Option<int>("--repeats") { Description = "Timed rounds (each times the three ways in turn)", DefaultValueFactory = _ => 3 };
        var perPass = new Option<int>("--per-pass") { Description = "Documents per pass of the batched CogLTX path", DefaultValueFactory = _ => 16 };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory for real data sets (default: COGLTX_DATA, else ./data)" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var command = new Command("inference", "CogLTX evaluation seconds, one document at a time and batched across documents, beside head truncation");
        command.Arguments.Add(config);
        foreach (var o in new Option[] { docs, repeats, perPass, dataDir, threads }) command.Options.Add(o);
        command.SetAction((parseResult, ct) =>
        {
            var compute = ComputeOptions.Default;
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench inference: --threads must be at least 1, got {n}"); return Task.FromResult(2); }
                compute = compute with { Threads = n };
            }
            using var computeScope = ComputeOptions.Use(compute);
            var options = new InferenceBenchOptions(parseResult.GetValue(config)!, parseResult.GetValue(docs), parseResult.GetValue(repeats), parseResult.GetValue(perPass));
            try
            {
                options.Validate();
                var result = InferenceBench.Run(options, parseResult.GetValue(dataDir), line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"), ct);
                Console.WriteLine(result.ToMarkdown());
                return Task.FromResult(result.SamePredictions ? 0 : 1);
            }
            catch (Exception e) when (e is ArgumentException or ExperimentConfigException or FileNotFoundException)
            {
                Console.Error.WriteLine($"bench inference: {e.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }
}
