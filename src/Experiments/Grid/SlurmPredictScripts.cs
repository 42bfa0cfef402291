using System.Globalization;
using CogLtx.Tensors.Io;

namespace CogLtx.Experiments.Grid;

/// <summary>The files <see cref="SlurmPredictScripts.Write"/> made; <see cref="Predictions"/> is where the merge writes.</summary>
public sealed record SlurmPredictFiles(string Folder, string ShardsScript, string MergeScript, string SubmitScript, string LogFolder, string Predictions);

/// <summary>
/// The Slurm form of a batch prediction: <c>{out}/slurm/predict.sh</c>, an sbatch array whose task I runs
/// <c>predict --shard I/N</c> over the input into <c>{out}/shards/out.I.jsonl</c> (written to a .tmp file, removed if the task fails, and renamed
/// when the shard is complete, so a killed task leaves no partial shard; a shard has no checkpoint and is rerun whole,
/// and a task first removes what an earlier run left in its place, so a failed shard is never merged from stale
/// output); <c>merge.sh</c>, <c>predict-merge</c> of the N shard files into <c>{out}/predictions.jsonl</c> (renamed
/// into place too), which checks every input line was predicted exactly once and names each missing shard with its
/// log; and <c>submit.sh</c> (<see cref="SlurmScripts.WriteSubmitScript"/>, as the grid's), which submits the array
/// and the merge twice: after every shard succeeded (<c>afterok</c>), and after any failed (<c>afternotok</c>, where
/// the merge fails naming the missing shards and writes no predictions). N is written into the scripts, not read from Slurm, so resubmitting one shard
/// (<c>sbatch --array=5 predict.sh</c>) still predicts shard 5 of N. Every path is absolute: a shared file system is
/// assumed.
/// </summary>
public static class SlurmPredictScripts
{
    /// <param name="command">How to start the tool (program and leading arguments, absolute paths).</param>
    /// <param name="model">The model folder (absolute).</param>
    /// <param name="input">The JSONL input (absolute).</param>
    /// <param name="predictArguments">Further <c>predict</c> options every task passes on (e.g. <c>--trace</c>, <c>--offsets code-points</c>).</param>
    public static SlurmPredictFiles Write(string outDir, IReadOnlyList<string> command, string model, string input, int shards, string workDir, SlurmOptions options,
        IReadOnlyList<string>? predictArguments = null)
    {
        options.Validate();
        if (shards < 1) throw new ArgumentException($"--shards must be ≥ 1, got {shards}");
        var root = Path.GetFullPath(outDir);
        var folder = Path.Combine(root, SlurmScripts.Folder);
        var logs = Path.Combine(folder, "logs");
        var shardFolder = Path.Combine(root, "shards");
        Directory.CreateDirectory(logs);
        Directory.CreateDirectory(shardFolder);
        var files = new SlurmPredictFiles(folder, Path.Combine(folder, "predict.sh"), Path.Combine(folder, "merge.sh"), Path.Combine(folder, "submit.sh"), logs,
            Path.Combine(root, "predictions.jsonl"));
        var tool = string.Join(' ', command.Select(SlurmScripts.Quote));
        var extra = string.Concat((predictArguments ?? []).Select(a => " " + SlurmScripts.Quote(a)));
        var inv = CultureInfo.InvariantCulture;
        var array = $"0-{shards - 1}" + (options.MaxParallel is { } k ? $"%{k}" : "");

        var shardScript = SlurmScripts.Header("predict-shards", options, options.Cpus, workDir)
            .AppendLine(inv, $"#SBATCH --array={array}")
            .AppendLine(inv, $"#SBATCH --output={SlurmScripts.Quote(Path.Combine(logs, "shard-%a.log"))}")
            .AppendLine("#SBATCH --open-mode=append")
            .Append(Preamble(shards))
            .AppendLine(SlurmScripts.StartLine($"shard $SLURM_ARRAY_TASK_ID/{shards}"))
            .AppendLine(inv, $"out={SlurmScripts.Quote(Path.Combine(shardFolder, "out."))}\"$SLURM_ARRAY_TASK_ID\".jsonl")
            .AppendLine("rm -f \"$out\"")
            .AppendLine("trap 'rm -f \"$out.tmp\"' EXIT")
            .AppendLine(inv, $"{tool} predict --model {SlurmScripts.Quote(model)} --shard \"$SLURM_ARRAY_TASK_ID/{shards}\"{extra} < {SlurmScripts.Quote(input)} > \"$out.tmp\"")
            .AppendLine("mv \"$out.tmp\" \"$out\"");
        AtomicFile.WriteAllText(files.ShardsScript, shardScript.ToString());

        var outputs = Enumerable.Range(0, shards).Select(i => SlurmScripts.Quote(Path.Combine(shardFolder, $"out.{i}.jsonl")));
        var shardLogs = Enumerable.Range(0, shards).Select(i => "--log " + SlurmScripts.Quote(Path.Combine(logs, $"shard-{i}.log")));
        var mergeScript = SlurmScripts.Header("predict-merge", options, 1, workDir)
            .AppendLine(inv, $"#SBATCH --output={SlurmScripts.Quote(Path.Combine(logs, "merge-%j.log"))}")
            .Append(Preamble(shards))
            .AppendLine(inv, $"tmp={SlurmScripts.Quote(files.Predictions + ".tmp")}")
            .AppendLine("trap 'rm -f \"$tmp\"' EXIT")
            .AppendLine(inv, $"{tool} predict-merge --input {SlurmScripts.Quote(input)} {string.Join(' ', shardLogs)} {string.Join(' ', outputs)} > \"$tmp\"")
            .AppendLine(inv, $"mv \"$tmp\" {SlurmScripts.Quote(files.Predictions)}");
        AtomicFile.WriteAllText(files.MergeScript, mergeScript.ToString());

        SlurmScripts.WriteSubmitScript(files.SubmitScript, files.ShardsScript, files.MergeScript, "shards", shards, "merge",
            $"predictions to {files.Predictions}; logs in {logs}");
        return files;
    }

    private static string Preamble(int shards) => $$"""
        # Written by `cogltx predict --slurm` for {{shards}} shards. The output folder must be on a file system every
        # node shares: tasks write their shards there, and the merge reads them all.
        set -euo pipefail
        export COGLTX_THREADS="${SLURM_CPUS_PER_TASK:-1}"

        """;
}
