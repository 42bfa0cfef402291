using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CogLtx.Tensors.Io;

namespace CogLtx.Cli.Commands;

/// <summary>
/// Shard I of N of a JSONL input (<c>cogltx predict --shard I/N</c>): input lines I+1, I+1+N, I+1+2N… (1-based line
/// numbers, blank lines skipped), round-robin so that shards get as many long and short documents alike. A sharded
/// predict tags each result with its input <c>"line"</c> so <see cref="PredictMergeCommand"/> can check the shards.
/// </summary>
internal sealed record PredictShard(int Index, int Count)
{
    public static PredictShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count) || count < 1 || index < 0 || index >= count)
            throw new ArgumentException($"--shard must be I/N with 0 ≤ I < N (e.g. 0/3), got \"{text}\"");
        return new PredictShard(index, count);
    }

    public bool Takes(int lineNumber) => (lineNumber - 1) % Count == Index;
}

/// <summary>
/// <c>cogltx predict-merge --input in.jsonl [--log LOG…] SHARD.jsonl…</c>: the sharded predictions of
/// <c>predict --shard I/N</c> in input order on stdout, as one unsharded predict writes them (the <c>"line"</c> tags
/// dropped). Every shard file must exist (the error names every missing one, with the log of the task that should
/// have written it when <c>--log</c> gives one log per shard) and every non-blank input line must have been predicted
/// exactly once: a missing, duplicated or unknown line is an error naming it, and nothing is written.
/// </summary>
internal static class PredictMergeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "The JSONL the shards were predicted from", Required = true };
        var logs = new Option<string[]>("--log") { Description = "The log of the task that wrote each shard, in the shards' order (once per shard); named when its shard is missing" };
        var shards = new Argument<string[]>("shards") { Description = "Output files of predict --shard I/N", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict-merge", "Merge the outputs of predict --shard I/N, checking every input line was predicted exactly once");
        command.Options.Add(input);
        command.Options.Add(logs);
        command.Arguments.Add(shards);
        command.SetAction(parseResult =>
        {
            try
            {
                foreach (var line in Merge(parseResult.GetValue(input)!, parseResult.GetValue(shards)!, parseResult.GetValue(logs) ?? [])) Console.Out.WriteLine(line);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                Console.Error.WriteLine($"predict-merge: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// The merged lines, in input order; throws <see cref="FileNotFoundException"/> naming every missing shard file
    /// (with its entry of <paramref name="logs"/>, the task logs in the shards' order, when there are any) and
    /// <see cref="InvalidDataException"/> naming every missing or repeated line.
    /// </summary>
    internal static List<string> Merge(string inputPath, IReadOnlyList<string> shardPaths, IReadOnlyList<string> logs)
    {
        if (logs.Count > 0 && logs.Count != shardPaths.Count)
            throw new ArgumentException($"--log given {logs.Count} times for {shardPaths.Count} shard files: expected one log per shard, in the same order");
        if (!File.Exists(inputPath)) throw new FileNotFoundException($"input not found: {inputPath}");
        var absent = shardPaths.Select((path, i) => (path, i)).Where(s => !File.Exists(s.path))
            .Select(s => $"shard output not found: {s.path}" + (logs.Count > 0 ? $" (its task's log: {logs[s.i]}{(File.Exists(logs[s.i]) ? "" : ", not written")})" : "")).ToList();
        if (absent.Count > 0) throw new FileNotFoundException($"{absent.Count} of {shardPaths.Count} shards missing: {string.Join("; ", absent)}");
        var expected = File.ReadLines(inputPath).Select((line, i) => (line, number: i + 1)).Where(p => !string.IsNullOrWhiteSpace(p.line)).Select(p => p.number).ToList();
        var found = new Dictionary<int, (string Text, string Where)>();
        var problems = new List<string>();
        foreach (var path in shardPaths)
        {
            var n = 0;
            foreach (var text in File.ReadLines(path))
            {
                n++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                var where = $"{path} line {n}";
                JsonObject result;
                try
                {
                    result = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{where}: expected a JSON object");
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{where}: not valid JSON: {e.Message}", e);
                }
                if (result["line"] is not JsonValue tag || !tag.TryGetValue<int>(out var line))
                    throw new InvalidDataException($"{where}: no \"line\" number (was it written by predict --shard I/N?)");
                result.Remove("line");
                if (found.TryGetValue(line, out var first)) problems.Add($"input line {line} predicted twice ({first.Where}, {where})");
                else found[line] = (result.ToJsonString(), where);
            }
        }
        var inputLines = expected.ToHashSet();
        problems.AddRange(found.Where(f => !inputLines.Contains(f.Key)).Select(f => $"{f.Value.Where}: line {f.Key} is not a non-blank line of {inputPath}"));
        var missing = expected.Where(l => !found.ContainsKey(l)).ToList();
        if (missing.Count > 0) problems.Add($"{missing.Count} input lines have no prediction: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}");
        if (problems.Count > 0) throw new InvalidDataException($"the shards do not cover {inputPath} exactly once: {string.Join("; ", problems)}");
        return [.. expected.Select(l => found[l].Text)];
    }
}
