using System.CommandLine;
using System.Globalization;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx experiment CONFIG.json [--out DIR] [--data-dir DIR] [--quick]</c>: trains and evaluates CogLTX and the
/// configured baselines on one data set (<see cref="ExperimentRunner"/>), shows a progress bar per method and stage,
/// writes results.json / results.csv / results.md and SVG plots into the output folder, and prints the comparison
/// table. Run it again with the same --out to resume an interrupted run: finished methods are not re-run, a method
/// cut off mid-training continues from its checkpoint.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Experiment config (e.g. experiments/synthetic-cls/config.json)" };
        var output = new Option<string>("--out") { Description = "Output folder (default: runs/<config name>, or runs/<config name>-quick with --quick)" };
        var dataDir = new Option<string>("--data-dir") { Description = "Data directory for real data sets (default: COGLTX_DATA, else ./data)" };
        var quick = new Option<bool>("--quick") { Description = "Shrink data, model and epochs for a smoke test (the config's quick_settings)" };
        var command = new Command("experiment", "Train and evaluate CogLTX against truncation, sliding-window and Longformer baselines");
        command.Arguments.Add(config);
        command.Options.Add(output);
        command.Options.Add(dataDir);
        command.Options.Add(quick);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
            Run(parseResult.GetValue(config)!, parseResult.GetValue(output), parseResult.GetValue(dataDir), parseResult.GetValue(quick), cancellationToken), CancellationToken.None));
        return command;
    }

    private static int Run(string configPath, string? outDir, string? dataDir, bool quick, CancellationToken cancellationToken)
    {
        try
        {
            var experiment = ExperimentConfig.Load(configPath);
            var isQuick = quick || experiment.Quick;
            outDir ??= Path.Combine("runs", Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath))) + (isQuick ? "-quick" : ""));
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
