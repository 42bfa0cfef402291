using System.Reflection;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Grid;
using CogLtx.Experiments.Runner;
using CogLtx.Tensors.Io;

namespace CogLtx.Cli.Commands;

/// <summary>What <c>cogltx experiment</c> was asked to do with a grid.</summary>
internal sealed record GridRequest(int? Cell, bool Merge, bool Slurm, bool Submit, SlurmOptions SlurmOptions);

/// <summary>
/// The grid paths of <c>cogltx experiment</c> (<see cref="GridRunner"/>): run every cell here and merge (no flag), run
/// one cell (<c>--cell I</c>), merge what the cells left (<c>--merge</c>), or write the Slurm scripts
/// (<c>--slurm</c>, <see cref="SlurmScripts"/>) and submit them (<c>--submit</c>, job ids on stdout). A merge with a
/// failed or missing cell writes its results, names each such cell and exits 1.
/// </summary>
internal static class ExperimentGridCommand
{
    public static int Run(string configPath, ExperimentConfig experiment, string outDir, string? dataDir, bool quick, GridRequest request,
        IProgress<ExperimentProgress> progress, CancellationToken cancellationToken)
    {
        var runner = new GridRunner(experiment, outDir, new RunnerOptions { DataDir = dataDir, Quick = quick }, configPath);
        if (request.Slurm) return WriteSlurm(configPath, runner, outDir, dataDir, quick, request);
        if (request.Cell is { } index)
        {
            if (index < 0 || index >= runner.Cells.Count)
                throw new ArgumentException($"--cell {index}: {configPath} makes {runner.Cells.Count} cells (0 to {runner.Cells.Count - 1})");
            CliConsole.Log($"cell {index}/{runner.Cells.Count - 1}: {runner.Cells[index].Name} → {runner.CellFolder(runner.Cells[index])}");
            runner.RunCell(index, progress, cancellationToken);
            CliConsole.Log($"cell {index} done: {Path.Combine(runner.CellFolder(runner.Cells[index]), "results.json")}");
            return 0;
        }
        if (!request.Merge) CliConsole.Log($"{runner.Config.Name}: grid of {runner.Cells.Count} cells → {Path.GetFullPath(outDir)}");
        var grid = request.Merge ? runner.Merge() : runner.RunAll(progress, new Progress<string>(CliConsole.Log), cancellationToken);
        Console.WriteLine(File.ReadAllText(Path.Combine(outDir, "results.md")));
        CliConsole.Log($"results: {Path.GetFullPath(outDir)} (results.json, results.md, grid_scores.svg; single-run tables under runs/)");
        if (grid.NotDone.Count == 0) return 0;
        foreach (var c in grid.NotDone) Console.Error.WriteLine($"experiment: cell {c.Cell.Index} ({c.Cell.Name}) {c.Status.ToString().ToLowerInvariant()}: {c.Error}");
        Console.Error.WriteLine($"experiment: {grid.NotDone.Count} of {grid.Cells.Count} cells have no result; rerun them (--cell I, or the same command) to resume, then merge again");
        return 1;
    }

    private static int WriteSlurm(string configPath, GridRunner runner, string outDir, string? dataDir, bool quick, GridRequest request)
    {
        var slurmDir = Path.Combine(Path.GetFullPath(outDir), SlurmScripts.Folder);
        Directory.CreateDirectory(slurmDir);
        // The tasks read a copy, so editing the config after submitting cannot change cells still waiting to run.
        var configCopy = Path.Combine(slurmDir, "config.json");
        AtomicFile.WriteAllText(configCopy, File.ReadAllText(configPath));
        List<string> command = [.. ToolCommand(), "experiment", configCopy, "--out", Path.GetFullPath(outDir)];
        if (quick) command.Add("--quick");
        if (dataDir is not null) command.AddRange(["--data-dir", Path.GetFullPath(dataDir)]);
        var files = SlurmScripts.Write(outDir, runner.Config.Name, runner.Cells, command, Environment.CurrentDirectory, request.SlurmOptions);
        CliConsole.Log($"wrote {files.CellsScript} ({runner.Cells.Count} array tasks), {files.ReportScript} and {files.SubmitScript}; task list in {Path.Combine(files.Folder, "cells.tsv")}");
        CliConsole.Log($"the output folder {Path.GetFullPath(outDir)} must be on a file system shared by every node");
        if (!request.Submit)
        {
            CliConsole.Log($"review the scripts, then submit with: bash {files.SubmitScript}");
            return 0;
        }
        Console.WriteLine(SlurmScripts.Submit(files));
        return 0;
    }

    /// <summary>How to start this tool again: its apphost, or <c>dotnet cogltx.dll</c> when run through the dotnet host.</summary>
    internal static List<string> ToolCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the tool's own path is unknown; cannot write Slurm scripts");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("the tool's assembly path is unknown")]
            : [process];
    }
}
