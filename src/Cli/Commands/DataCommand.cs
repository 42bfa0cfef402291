using System.CommandLine;
using CogLtx.Data;
using CogLtx.Text.Tasks;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx data list | get NAME | export NAME | synth TASK</c>: which datasets are known and present, fetching them
/// (from a local mirror or the public originals, resumable and verified), writing one split of a known dataset as the
/// project's JSONL (what <c>train</c> and <c>pretrain --corpus</c> read), and writing the synthetic long-document tasks
/// with a from-scratch vocabulary. The data directory is <c>--data-dir</c>, else COGLTX_DATA, else ./data.
/// </summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = new Command("data", "List, fetch and generate long-document datasets");
        data.Subcommands.Add(List());
        data.Subcommands.Add(Get());
        data.Subcommands.Add(Export());
        data.Subcommands.Add(Synth());
        return data;
    }

    private static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = $"Data directory (default: env {DataDirectory.EnvironmentVariable}, else ./{DataDirectory.DefaultRelative})",
    };

    private static Command List()
    {
        var dataDir = DataDirOption();
        var command = new Command("list", "Show the known datasets and which of them the data directory holds");
        command.Options.Add(dataDir);
        command.SetAction(parseResult =>
        {
            var directory = DataDirectory.Resolve(parseResult.GetValue(dataDir));
            Console.WriteLine($"data directory: {directory}");
            Console.WriteLine($"{"name",-15} {"task",-15} {"status",-36} files");
            foreach (var status in DataFetcher.Status(directory))
            {
                var state = status.Present is { } set ? $"present ({set.Label}, {status.Bytes / 1e6:0.0} MB)" : "missing";
                var files = status.Present ?? status.Dataset.Original;
                Console.WriteLine($"{status.Dataset.Name,-15} {status.Dataset.Kind,-15} {state,-36} {string.Join(", ", files.Files.Select(f => f.FileName))}");
            }
            Console.WriteLine("generated on demand (cogltx data synth): multihop (span QA), keysentence (classification)");
            return 0;
        });
        return command;
    }

    private static Command Get()
    {
        var name = new Argument<string>("name") { Description = $"Dataset: {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}, or all" };
        var to = new Option<string?>("--to") { Description = "Data directory to fill (default: the data directory)" };
        var from = new Option<string?>("--from") { Description = $"Local mirror to copy from instead of downloading (default: env {DataDirectory.EnvironmentVariable} when it is not the target)" };
        var dataDir = DataDirOption();
        var retries = new Option<int>("--retries") { Description = "Retries per file after the first attempt", DefaultValueFactory = _ => 5 };
        var command = new Command("get", "Fetch a dataset: copy from a mirror or download the public original; resumable, verified, atomic");
        command.Arguments.Add(name);
        foreach (var option in new Option[] { to, from, dataDir, retries }) command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = parseResult.GetValue(to) is { Length: > 0 } explicitTarget
                ? Path.GetFullPath(explicitTarget)
                : DataDirectory.Resolve(parseResult.GetValue(dataDir));
            var explicitMirror = parseResult.GetValue(from);
            var environmentMirror = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
            var mirror = explicitMirror ?? (string.IsNullOrWhiteSpace(environmentMirror) ? null : environmentMirror);
            var requested = parseResult.GetValue(name)!;
            using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("cogltx-data/1.0");
            var downloader = new Downloader(http, new DownloadOptions { MaxRetries = Math.Max(0, parseResult.GetValue(retries)) }, Console.Error.WriteLine);
            var fetcher = new DataFetcher(downloader, Console.Error.WriteLine);
            try
            {
                var datasets = requested.Equals("all", StringComparison.OrdinalIgnoreCase) ? KnownDatasets.All : [KnownDatasets.Find(requested)];
                foreach (var dataset in datasets)
                {
                    var files = await fetcher.GetAsync(dataset, target, mirror, mirrorRequired: explicitMirror is not null, cancellationToken);
                    foreach (var file in files)
                        Console.WriteLine($"{dataset.Name}: {file.Action.ToString().ToLowerInvariant()} {file.Path} ({file.Verification})");
                }
                return 0;
            }
            catch (Exception e) when (e is DownloadException or DataVerificationException or FileNotFoundException or KeyNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine($"data get: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Export()
    {
        var name = new Argument<string>("name") { Description = $"Dataset: {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}" };
        var split = new Option<string>("--split") { Description = "Which split to write: train or test", Required = true };
        split.AcceptOnlyFromAmong("train", "test");
        var output = new Option<string>("--out") { Description = "JSONL file to write (atomically)", Required = true };
        var clean = new Option<bool>("--clean-newsgroups") { Description = "Apply CogLTX's 20 Newsgroups cleaning, as the experiments' \"clean_newsgroups\" does" };
        var dataDir = DataDirOption();
        var command = new Command("export", "Write one split of a known dataset as JSONL (id, text, label): input for `train`, or a pre-training corpus of the training split only");
        command.Arguments.Add(name);
        foreach (var option in new Option[] { split, output, clean, dataDir }) command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var directory = DataDirectory.Resolve(parseResult.GetValue(dataDir));
            Dataset dataset;
            try
            {
                dataset = KnownDatasets.Load(parseResult.GetValue(name)!, directory, new DatasetLoadOptions { CleanNewsgroups = parseResult.GetValue(clean) });
            }
            catch (Exception e) when (e is FileNotFoundException or KeyNotFoundException or DataFormatException)
            {
                Console.Error.WriteLine($"data export: {e.Message}");
                return 1;
            }
            var examples = parseResult.GetValue(split) == "train" ? dataset.Train : dataset.Test;
            var path = Path.GetFullPath(parseResult.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            LongDocJsonl.Write(examples, path, multiLabel: dataset.Kind == ReasonerTask.MultiLabel);
            Console.WriteLine($"{dataset.Name} {parseResult.GetValue(split)}: {examples.Count} documents → {path}");
            return 0;
        });
        return command;
    }

    private static Command Synth()
    {
        var task = new Argument<string>("task") { Description = "multihop (span QA) or keysentence (classification)" };
        task.AcceptOnlyFromAmong("multihop", "keysentence");
        var to = new Option<string>("--to") { Description = "Output folder for train.jsonl, test.jsonl, vocab.txt and tokenizer_config.json", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed (same seed, same data)", DefaultValueFactory = _ => 1 };
        var train = new Option<int>("--train") { Description = "Training documents", DefaultValueFactory = _ => 200 };
        var test = new Option<int>("--test") { Description = "Test documents", DefaultValueFactory = _ => 50 };
        var minTokens = new Option<int>("--min-tokens") { Description = "Shortest document in tokens", DefaultValueFactory = _ => 2_000 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest document in tokens", DefaultValueFactory = _ => 8_000 };
        var late = new Option<double>("--late-fraction") { Description = "Share of documents whose evidence lies past token 512", DefaultValueFactory = _ => 0.9 };
        var command = new Command("synth", "Write a seeded synthetic long-document task as JSONL plus a WordPiece vocab.txt and its tokenizer_config.json");
        command.Arguments.Add(task);
        foreach (var option in new Option[] { to, seed, train, test, minTokens, maxTokens, late }) command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var options = new SyntheticOptions
            {
                Seed = parseResult.GetValue(seed),
                TrainCount = parseResult.GetValue(train),
                TestCount = parseResult.GetValue(test),
                MinTokens = parseResult.GetValue(minTokens),
                MaxTokens = parseResult.GetValue(maxTokens),
                LateEvidenceFraction = parseResult.GetValue(late),
            };
            Dataset dataset;
            try
            {
                dataset = parseResult.GetValue(task) == "multihop" ? SyntheticTasks.MultiHopQa(options) : SyntheticTasks.KeySentenceClassification(options);
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.Error.WriteLine($"data synth: {e.Message}");
                return 2;
            }
            var folder = Path.GetFullPath(parseResult.GetValue(to)!);
            Directory.CreateDirectory(folder);
            LongDocJsonl.Write(dataset.Train, Path.Combine(folder, "train.jsonl"));
            LongDocJsonl.Write(dataset.Test, Path.Combine(folder, "test.jsonl"));
            var vocab = WordPieceVocabBuilder.Build(dataset);
            WordPieceVocabBuilder.Write(vocab, Path.Combine(folder, "vocab.txt"));
            // BERT's 512 positions; the builder lower-cases (WordPieceVocabOptions.Lowercase).
            Models.TokenizerConfigWriter.Ensure(folder, 512, doLowerCase: true);
            Console.WriteLine($"{dataset.Name}: {dataset.Train.Count} train + {dataset.Test.Count} test documents, {vocab.Count} vocabulary entries → {folder}");
            return 0;
        });
        return command;
    }
}
