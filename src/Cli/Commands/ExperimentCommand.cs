using System.CommandLine;
using System.Globalization;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Grid;
using CogLtx.Experiments.Runner;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx experiment CONFIG.json [--out DIR] [--data-dir DIR] [--quick]</c>: trains and evaluates CogLTX and the
/// configured baselines on one data set (<see cref="ExperimentRunner"/>), shows a progress bar per method and stage,
/// writes results.json / results.csv / results.md and SVG plots into the output folder, and prints the comparison
/// table. Run it again with the same --out to resume an interrupted run: finished methods are not re-run, a method
/// cut off mid-training continues from its checkpoint. A config with a <c>grid</c> section, or any of --cell, --merge,
/// --slurm, runs as a grid (<see cref="ExperimentGridCommand"/>).
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Experiment config (e.g. experiments/synthetic-cls/config.json)" };
        var output = new Option<string>("--out") { Description = "Output folder (default: runs/<config name>, or runs/<config name>-quick with --quick)" };
        var dataDir = new Option<string>("--data-dir") { Description = "Data directory for real data sets (default: COGLTX_DATA, else ./data)" };
        var quick = new Option<bool>("--quick") { Description = "Shrink data, model and epochs for a smoke test (the config's quick_settings)" };
        var cell = new Option<int?>("--cell") { Description = "Grid: run only cell I (0-based; the Slurm array task id), resuming what an earlier attempt left" };
        var merge = new Option<bool>("--merge") { Description = "Grid: merge the cells' results (a failed or missing cell is named, exit 1)" };
        var slurm = new Option<bool>("--slurm") { Description = "Grid: write OUT/slurm/ (sbatch array of cells, report job after it); shared file system assumed" };
        var submit = new Option<bool>("--submit") { Description = "With --slurm: submit with sbatch and print the job ids" };
        var partition = new Option<string>("--partition") { Description = "With --slurm: Slurm partition" };
        var time = new Option<string>("--time") { Description = "With --slurm: time limit per task (e.g. 02:00:00)" };
        var cpus = new Option<int?>("--cpus") { Description = "With --slurm: CPUs per task (default 1; the task's compute threads)" };
        var mem = new Option<string>("--mem") { Description = "With --slurm: memory per task (e.g. 4G)" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "With --slurm: at most K cells at once" };
        var command = new Command("experiment", "Train and evaluate CogLTX against truncation, sliding-window and Longformer baselines");
        command.Arguments.Add(config);
        foreach (var option in new Option[] { output, dataDir, quick, cell, merge, slurm, submit, partition, time, cpus, mem, maxParallel }) command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            GridRequest? Request() => Grid(parseResult.GetValue(cell), parseResult.GetValue(merge), parseResult.GetValue(slurm), parseResult.GetValue(submit), new SlurmOptions
            {
                Partition = parseResult.GetValue(partition),
                Time = parseResult.GetValue(time),
                Cpus = parseResult.GetValue(cpus) ?? 1,
                Memory = parseResult.GetValue(mem),
                MaxParallel = parseResult.GetValue(maxParallel),
            }, parseResult.GetValue(cpus) is not null);
            return Run(parseResult.GetValue(config)!, parseResult.GetValue(output), parseResult.GetValue(dataDir), parseResult.GetValue(quick), Request, cancellationToken);
        }, CancellationToken.None));
        return command;
    }

    /// <summary>The grid flags, checked for combinations that mean nothing; null when none is given.</summary>
    private static GridRequest? Grid(int? cell, bool merge, bool slurm, bool submit, SlurmOptions options, bool cpusGiven)
    {
        var slurmOnly = options.Partition is not null || options.Time is not null || cpusGiven || options.Memory is not null || options.MaxParallel is not null || submit;
        if (slurmOnly && !slurm) throw new ArgumentException("--submit, --partition, --time, --cpus, --mem and --max-parallel go with --slurm");
        if ((cell is not null ? 1 : 0) + (merge ? 1 : 0) + (slurm ? 1 : 0) > 1) throw new ArgumentException("--cell, --merge and --slurm exclude each other");
        return cell is null && !merge && !slurm ? null : new GridRequest(cell, merge, slurm, submit, options.Validate());
    }

    private static int Run(string configPath, string? outDir, string? dataDir, bool quick, Func<GridRequest?> gridRequest, CancellationToken cancellationToken)
    {
        try
        {
            var request = gridRequest();
            var experiment = ExperimentConfig.Load(configPath);
            var isQuick = quick || experiment.Quick;
            outDir ??= Path.Combine("runs", Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath))) + (isQuick ? "-quick" : ""));
            if (request is not null || experiment.Grid is not null)
            {
                IProgress<ExperimentProgress> progress = new LineProgress();
                return ExperimentGridCommand.Run(configPath, experiment, outDir, dataDir, quick, request ?? new GridRequest(null, false, false, false, new SlurmOptions()), progress, cancellationToken);
            }
            var runner = new ExperimentRunner(experiment, outDir, new RunnerOptions { DataDir = dataDir, Quick = quick });
            CliConsole.Log($"{runner.Config.Name}{(isQuick ? " (quick)" : "")}: {string.Join(", ", runner.Config.Methods)} → {Path.GetFullPath(outDir)}");
            var results = AnsiConsole.Profile.Capabilities.Interactive
                ? AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx => runner.Run(new BarProgress(ctx), cancellationToken))
                : runner.Run(new LineProgress(), cancellationToken);
            if (runner.Reused.Count > 0) CliConsole.Log($"reused stored results of: {string.Join(", ", runner.Reused)}");
            Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "results.md")));
            CliConsole.Log($"results: {Path.GetFullPath(outDir)} (results.json, results.csv, results.md, training_curves.svg, score_vs_length.svg)");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("experiment: interrupted; run the same command again to resume (finished methods are kept, training resumes from its checkpoint)");
            return 130;
        }
        catch (Exception e) when (e is ExperimentConfigException or IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or Data.DataFormatException)
        {
            Console.Error.WriteLine($"experiment: {e.Message}");
            return 1;
        }
        catch (ArithmeticException e)
        {
            // A diverged training run (NaN/∞ loss or gradient): the last checkpoint is intact.
            Console.Error.WriteLine($"experiment: training diverged: {e.Message}; lower the learning rate or raise clipping and run again with a new --out");
            return 1;
        }
    }

    /// <summary>One Spectre progress task per (method, stage), updated synchronously on the runner's thread.</summary>
    private sealed class BarProgress(ProgressContext context) : IProgress<ExperimentProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(ExperimentProgress value)
        {
            var key = $"{value.Method} {value.Stage}";
            if (!tasks.TryGetValue(key, out var task))
            {
                task = context.AddTask(Markup.Escape(key), maxValue: 1000);
                tasks[key] = task;
            }
            task.Value = Math.Round(value.Fraction * 1000);
            task.Description = Markup.Escape($"{key}: {value.Detail}");
            if (value.Fraction >= 1) task.StopTask();
        }
    }

    /// <summary>Redirected output: a line whenever a stage starts, ends or moves by a tenth.</summary>
    private sealed class LineProgress : IProgress<ExperimentProgress>
    {
        private readonly Dictionary<string, int> lastTenth = [];

        public void Report(ExperimentProgress value)
        {
            var key = $"{value.Method} {value.Stage}";
            var tenth = (int)Math.Floor(value.Fraction * 10);
            if (lastTenth.TryGetValue(key, out var seen) && seen == tenth) return;
            lastTenth[key] = tenth;
            CliConsole.Log(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {key} {value.Fraction,4:P0} {value.Detail}"));
        }
    }
}
