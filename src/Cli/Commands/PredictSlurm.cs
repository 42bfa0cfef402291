using System.CommandLine;
using CogLtx.Experiments.Grid;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx predict --model DIR --slurm --input in.jsonl --out OUT --shards N [--submit] [--partition P --time T
/// --cpus C --mem M --max-parallel K]</c>: instead of predicting, writes <c>OUT/slurm/</c> (<see cref="SlurmPredictScripts"/>):
/// an sbatch array of N <c>predict --shard I/N</c> tasks and a <c>predict-merge</c> job submitted after it twice
/// (afterok: writes the predictions; afternotok: fails naming the missing shards); <c>--submit</c> submits them and
/// prints the job ids. A shared file system is assumed.
/// </summary>
internal sealed class PredictSlurm
{
    private readonly Option<bool> slurm = new("--slurm") { Description = "Write OUT/slurm/: an sbatch array of --shard I/N predictions and a predict-merge job after it (afterok; afternotok: names the failed shards); shared file system assumed" };
    private readonly Option<string> input = new("--input") { Description = "With --slurm: the JSONL to predict (read by every task)" };
    private readonly Option<string> output = new("--out") { Description = "With --slurm: output folder (scripts, shards, predictions.jsonl)" };
    private readonly Option<int?> shards = new("--shards") { Description = "With --slurm: number of shards (array tasks)" };
    private readonly Option<bool> submit = new("--submit") { Description = "With --slurm: submit with sbatch and print the job ids" };
    private readonly Option<string> partition = new("--partition") { Description = "With --slurm: Slurm partition" };
    private readonly Option<string> time = new("--time") { Description = "With --slurm: time limit per task (e.g. 02:00:00)" };
    private readonly Option<int?> cpus = new("--cpus") { Description = "With --slurm: CPUs per task (default 1; the task's compute threads)" };
    private readonly Option<string> mem = new("--mem") { Description = "With --slurm: memory per task (e.g. 4G)" };
    private readonly Option<int?> maxParallel = new("--max-parallel") { Description = "With --slurm: at most K shards at once" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { slurm, input, output, shards, submit, partition, time, cpus, mem, maxParallel }) command.Options.Add(option);
    }

    /// <summary>True when --slurm was given; throws <see cref="ArgumentException"/> when a --slurm-only option came without it.</summary>
    public bool Requested(ParseResult parse)
    {
        if (parse.GetValue(slurm)) return true;
        var given = new Option[] { input, output, shards, submit, partition, time, cpus, mem, maxParallel }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0) throw new ArgumentException($"{string.Join(", ", given)} go with --slurm");
        return false;
    }

    /// <summary>Writes the scripts (and submits them with --submit); the model folder and the input must exist.</summary>
    /// <param name="predictArguments">The command's other options, passed on to every task.</param>
    public int Write(ParseResult parse, string model, bool hasShard, IReadOnlyList<string> predictArguments)
    {
        if (hasShard) throw new ArgumentException("--shard and --slurm exclude each other (the Slurm tasks pass --shard themselves)");
        var inputPath = parse.GetValue(input) ?? throw new ArgumentException("--slurm needs --input FILE (the tasks read it; stdin is not used)");
        var outDir = parse.GetValue(output) ?? throw new ArgumentException("--slurm needs --out DIR");
        var count = parse.GetValue(shards) ?? throw new ArgumentException("--slurm needs --shards N");
        if (!Directory.Exists(model)) throw new DirectoryNotFoundException($"--model: no folder {model}");
        if (!File.Exists(inputPath)) throw new FileNotFoundException($"--input: no file {inputPath}");
        var options = new SlurmOptions
        {
            Partition = parse.GetValue(partition), Time = parse.GetValue(time), Cpus = parse.GetValue(cpus) ?? 1,
            Memory = parse.GetValue(mem), MaxParallel = parse.GetValue(maxParallel),
        };
        var files = SlurmPredictScripts.Write(outDir, ExperimentGridCommand.ToolCommand(), Path.GetFullPath(model), Path.GetFullPath(inputPath), count,
            Environment.CurrentDirectory, options, predictArguments);
        CliConsole.Log($"wrote {files.ShardsScript} ({count} array tasks), {files.MergeScript} and {files.SubmitScript}; predictions will be {files.Predictions}");
        CliConsole.Log($"the output folder {Path.GetFullPath(outDir)}, the model and the input must be on a file system shared by every node");
        if (!parse.GetValue(submit))
        {
            CliConsole.Log($"review the scripts, then submit with: bash {files.SubmitScript}");
            return 0;
        }
        Console.WriteLine(SlurmScripts.Submit(files.SubmitScript));
        return 0;
    }
}
