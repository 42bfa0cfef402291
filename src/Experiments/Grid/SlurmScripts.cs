using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Grid;

/// <summary>Resources each Slurm task asks for (<c>sbatch</c> options); null: the cluster's default.</summary>
public sealed partial record SlurmOptions
{
    public string? Partition { get; init; }

    /// <summary>Time limit per task, as sbatch reads it (<c>MM</c>, <c>HH:MM:SS</c>, <c>D-HH:MM</c>…).</summary>
    public string? Time { get; init; }

    /// <summary>CPUs per task; the task's compute threads (<c>COGLTX_THREADS</c>) follow it.</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>Memory per task, as sbatch reads it (<c>4G</c>, <c>3000M</c>).</summary>
    public string? Memory { get; init; }

    /// <summary>At most this many array tasks at once (<c>--array=…%K</c>); null: no limit.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option sbatch would refuse.</summary>
    public SlurmOptions Validate()
    {
        if (Cpus < 1) throw new ArgumentException($"--cpus must be ≥ 1, got {Cpus}");
        if (MaxParallel is < 1) throw new ArgumentException($"--max-parallel must be ≥ 1, got {MaxParallel}");
        if (Time is { } t && !TimeFormat().IsMatch(t)) throw new ArgumentException($"--time: \"{t}\" is not a Slurm time (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)");
        if (Memory is { } m && !MemoryFormat().IsMatch(m)) throw new ArgumentException($"--mem: \"{m}\" is not a Slurm memory size (a number with an optional K, M, G or T suffix)");
        if (Partition is { } p && !PartitionFormat().IsMatch(p)) throw new ArgumentException($"--partition: \"{p}\" is not a partition name (letters, digits, _ . - and commas)");
        return this;
    }

    [GeneratedRegex(@"^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$")]
    private static partial Regex TimeFormat();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemoryFormat();

    [GeneratedRegex(@"^[A-Za-z0-9_.,-]+$")]
    private static partial Regex PartitionFormat();
}

/// <summary>The files <see cref="SlurmScripts.Write"/> made.</summary>
public sealed record SlurmFiles(string Folder, string CellsScript, string ReportScript, string SubmitScript, string LogFolder);

/// <summary>
/// The Slurm form of a grid: <c>{out}/slurm/cells.sh</c>, an sbatch job array with one task per cell running the grid
/// command with <c>--cell $SLURM_ARRAY_TASK_ID</c> (requeueable: a rerun resumes the cell from its checkpoint), a log
/// per task in <c>{out}/slurm/logs</c>; <c>report.sh</c>, the same command with <c>--merge</c>; and <c>submit.sh</c>,
/// which submits the array, then the report twice: after every task succeeded (<c>afterok</c>), and after any failed
/// (<c>afternotok</c>, so failed cells are reported, not left waiting), the one whose condition cannot hold being
/// cancelled by Slurm (<c>--kill-on-invalid-dep=yes</c>). Every path is absolute: tasks read and write the output
/// folder in place, so it must be on a file system all nodes share.
/// </summary>
public static class SlurmScripts
{
    public const string Folder = "slurm";

    /// <param name="command">The grid command without the cell flag: program, arguments (absolute paths).</param>
    /// <param name="workDir">Folder the tasks start in (the git commit recorded with the results is read there).</param>
    public static SlurmFiles Write(string outDir, string jobName, IReadOnlyList<GridCell> cells, IReadOnlyList<string> command, string workDir, SlurmOptions options)
    {
        options.Validate();
        var folder = Path.Combine(Path.GetFullPath(outDir), Folder);
        var logs = Path.Combine(folder, "logs");
        Directory.CreateDirectory(logs);
        var name = Regex.Replace(jobName, "[^A-Za-z0-9._-]+", "-");
        var array = $"0-{cells.Count - 1}" + (options.MaxParallel is { } k ? $"%{k}" : "");
        var files = new SlurmFiles(folder, Path.Combine(folder, "cells.sh"), Path.Combine(folder, "report.sh"), Path.Combine(folder, "submit.sh"), logs);

        var cellsScript = Header($"{name}-cells", options, options.Cpus, workDir)
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array={array}")
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Quote(Path.Combine(logs, "cell-%a.log"))}")
            .AppendLine("#SBATCH --open-mode=append")
            .AppendLine("#SBATCH --requeue")
            .Append(Preamble(cells.Count))
            .AppendLine(StartLine("cell $SLURM_ARRAY_TASK_ID"))
            .AppendLine(CultureInfo.InvariantCulture, $"exec {string.Join(' ', command.Select(Quote))} --cell \"$SLURM_ARRAY_TASK_ID\"");
        AtomicFile.WriteAllText(files.CellsScript, cellsScript.ToString());

        var reportScript = Header($"{name}-report", options, 1, workDir)
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Quote(Path.Combine(logs, "report-%j.log"))}")
            .Append(Preamble(cells.Count))
            .AppendLine(CultureInfo.InvariantCulture, $"exec {string.Join(' ', command.Select(Quote))} --merge");
        AtomicFile.WriteAllText(files.ReportScript, reportScript.ToString());

        WriteSubmitScript(files.SubmitScript, files.CellsScript, files.ReportScript, "cells", cells.Count, "report", $"logs in {logs}");
        AtomicFile.WriteAllLines(Path.Combine(folder, "cells.tsv"),
            ["task\tdata set\tencoder\tseed\tmethod\tfolder", .. cells.Select(c => $"{c.Index}\t{c.Dataset}\t{c.EncoderLabel}\t{c.Seed}\t{c.Method}\t{c.Folder}")]);
        return files;
    }

    /// <summary>
    /// Writes <paramref name="path"/>, a <c>submit.sh</c>: submits the array script <paramref name="arrayScript"/>, then
    /// <paramref name="afterScript"/> twice, after every task succeeded (<c>afterok</c>) and after any failed
    /// (<c>afternotok</c>: the same job, which then names what failed and ends failed), both with
    /// <c>--kill-on-invalid-dep=yes</c> so Slurm cancels the one whose condition cannot hold; writes the three job ids
    /// to <c>jobs.txt</c> beside it and prints them, with <paramref name="where"/>.
    /// </summary>
    /// <param name="tasks">What the array's tasks are, plural (<c>cells</c>), as printed.</param>
    /// <param name="after">What the dependent job is (<c>report</c>), as printed.</param>
    internal static void WriteSubmitScript(string path, string arrayScript, string afterScript, string tasks, int count, string after, string where) =>
        AtomicFile.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            # Submits the {{tasks}} array, then the {{after}} twice: after every task succeeded (afterok) and after any failed (afternotok).
            set -euo pipefail
            cd {{Quote(Path.GetDirectoryName(Path.GetFullPath(path))!)}}
            array=$(sbatch --parsable {{Quote(arrayScript)}}); array=${array%%;*}
            after=$(sbatch --parsable --dependency=afterok:$array --kill-on-invalid-dep=yes {{Quote(afterScript)}}); after=${after%%;*}
            failure=$(sbatch --parsable --dependency=afternotok:$array --kill-on-invalid-dep=yes {{Quote(afterScript)}}); failure=${failure%%;*}
            printf '%s\n' "$array $after $failure" > jobs.txt
            echo "{{tasks}} job $array ({{count}} tasks), {{after}} job $after (afterok), failure {{after}} job $failure (afternotok); {{where}}"

            """);

    /// <summary>The line an array task starts its log with: UTC time, <paramref name="what"/>, job and task ids, restart count and host.</summary>
    internal static string StartLine(string what) =>
        $"echo \"[$(date -u +%FT%TZ)] {what} (job ${{SLURM_ARRAY_JOB_ID:-none}}_${{SLURM_ARRAY_TASK_ID}}, restart ${{SLURM_RESTART_COUNT:-0}}) on $(hostname)\" >&2";

    /// <summary>Runs <c>submit.sh</c> (sbatch must be on PATH); returns what it printed (the job ids).</summary>
    public static string Submit(SlurmFiles files) => Submit(files.SubmitScript);

    /// <summary>Runs a written <c>submit.sh</c> (sbatch must be on PATH); returns what it printed (the job ids).</summary>
    public static string Submit(string submitScript)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(submitScript);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException("could not start bash");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"could not run {submitScript}: {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new IOException($"{submitScript} failed (exit {process.ExitCode}): {stderr.Trim()}; the scripts are in place: fix the cause and run it by hand");
            return stdout.Result.Trim();
        }
    }

    /// <summary>The <c>#SBATCH</c> lines every script shares: job name, working folder, CPUs, memory, time, partition.</summary>
    internal static StringBuilder Header(string jobName, SlurmOptions options, int cpus, string workDir)
    {
        var sb = new StringBuilder().AppendLine("#!/usr/bin/env bash");
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"#SBATCH --job-name={jobName}");
        sb.AppendLine(inv, $"#SBATCH --chdir={Quote(Path.GetFullPath(workDir))}");
        sb.AppendLine(inv, $"#SBATCH --cpus-per-task={cpus}");
        if (options.Memory is { } mem) sb.AppendLine(inv, $"#SBATCH --mem={mem}");
        if (options.Time is { } time) sb.AppendLine(inv, $"#SBATCH --time={time}");
        if (options.Partition is { } partition) sb.AppendLine(inv, $"#SBATCH --partition={partition}");
        return sb;
    }

    private static string Preamble(int cells) => $$"""
        # Written by `cogltx experiment --slurm` for a grid of {{cells}} cells. The output folder must be on a file
        # system every node shares: tasks write their cell folders there, and the report reads them all.
        set -euo pipefail
        export COGLTX_THREADS="${SLURM_CPUS_PER_TASK:-1}"

        """;

    /// <summary>A single-quoted bash word.</summary>
    internal static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
