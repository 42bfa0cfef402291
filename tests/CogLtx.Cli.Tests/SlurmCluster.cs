using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CogLtx.Cli.Tests;

/// <summary>
/// The single-node Slurm the Slurm tests run on: started by scripts/slurm/start.sh when it is not up (the test fails
/// saying why when it cannot be), and the bounded waits and job queries those tests share.
/// </summary>
internal static partial class SlurmCluster
{
    /// <summary>Slurm answers sinfo with a usable node, or scripts/slurm/start.sh makes it so; else the test fails with the reason.</summary>
    public static void Ensure()
    {
        if (NodeUp()) return;
        var (code, output) = Shell("bash", Path.Combine(Cli.RepoRoot, "scripts", "slurm", "start.sh"));
        Assert.True(code == 0 && NodeUp(), $"Slurm is not running and scripts/slurm/start.sh could not start it (exit {code}):\n{output}");
    }

    private static bool NodeUp()
    {
        var (code, output) = Shell("sinfo", "-h", "-o", "%T");
        return code == 0 && NodeState().IsMatch(output);
    }

    /// <summary>Waits until none of <paramref name="jobs"/> is queued or running; past <paramref name="limit"/> cancels them and fails with the queue and the tails of the logs.</summary>
    public static void WaitFor(IReadOnlyList<string> jobs, string logFolder, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (!Queued(jobs)) return;
            Thread.Sleep(1000);
        }
        var queue = Shell("squeue", "-o", "%i %j %T %r").Output;
        Shell("scancel", [.. jobs]);
        Assert.Fail($"jobs {string.Join(",", jobs)} did not finish within {limit.TotalSeconds:0} s (cancelled):\n{queue}\n{LogTails(logFolder)}");
    }

    /// <summary>sbatch --parsable in <paramref name="scripts"/> (arguments ending in .sh are scripts there); the job id.</summary>
    public static string Submit(string scripts, params string[] args)
    {
        var (code, output) = Shell("sbatch", ["--parsable", "--chdir", scripts, .. args.Select(a => a.EndsWith(".sh", StringComparison.Ordinal) ? Path.Combine(scripts, a) : a)]);
        Assert.True(code == 0, $"sbatch {string.Join(' ', args)} failed (exit {code}): {output}");
        return output.Trim().Split(';')[0];
    }

    /// <summary>True while squeue lists any of <paramref name="jobs"/>.</summary>
    public static bool Queued(IReadOnlyList<string> jobs)
    {
        var (code, output) = Shell("squeue", "-h", "-o", "%i %T %r", "-j", string.Join(",", jobs));
        return code != 0 || output.Trim().Length > 0;
    }

    /// <summary>The last lines of every log in <paramref name="logFolder"/>, for failure messages.</summary>
    public static string LogTails(string logFolder) => !Directory.Exists(logFolder) ? $"(no {logFolder})" : string.Join('\n',
        Directory.GetFiles(logFolder).Select(f => $"--- {f}\n{string.Join('\n', File.ReadLines(f).TakeLast(5))}"));

    /// <summary>The job's state as scontrol reports it (COMPLETED, CANCELLED, FAILED, …).</summary>
    public static string JobState(string job)
    {
        var (_, output) = Shell("scontrol", "show", "job", job);
        return JobStateField().Match(output).Groups[1].Value is { Length: > 0 } state ? state : $"unknown ({output.Trim()})";
    }

    public static (int ExitCode, string Output) Shell(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{program}: {e.Message}");
        }
    }

    [GeneratedRegex("^(idle|mixed|allocated)", RegexOptions.Multiline)]
    private static partial Regex NodeState();

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex JobStateField();
}

/// <summary>The Slurm tests share one small node; they run one after another, not beside each other.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection
{
    public const string Name = "slurm";
}
