using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CogLtx.Models.Pretrained;
using CogLtx.Nn;
using CogLtx.Training.Pretraining;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx pretrain --corpus PATH... (--model DIR|NAME | --config mini|small|CONFIG.json) --out DIR</c>: masked-LM
/// pre-training (<see cref="PretrainJob"/>), resumable (run the same command again), writing a Hugging Face checkpoint
/// folder into DIR. Progress lines with the ETA go to stderr; the held-out curve and the unigram baseline to stdout.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var corpus = new Option<string[]>("--corpus") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "Text files (a blank line ends a document), .jsonl files ({\"text\": ...} per line) or folders of them" };
        var model = new Option<string>("--model") { Description = "Continue this Hugging Face checkpoint folder or pretrained name (minilm, arctic-xs); a missing MLM head starts fresh, tied to the word embeddings" };
        var config = new Option<string>("--config") { Description = "Start from scratch: a size (tiny, mini, small, …) or a config.json path; needs --tokenizer" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Tokenizer folder (default: the --model folder)" };
        var output = new Option<string>("--out") { Required = true, Description = "Output folder: checkpoint/ while training, then config.json, model.safetensors, tokenizer files, pretraining.json" };
        var maxLength = new Option<int?>("--max-length") { Description = "Tokens per packed sequence (512)" };
        var batch = new Option<int?>("--batch-size") { Description = "Sequences per forward (8)" };
        var accumulate = new Option<int?>("--accumulate") { Description = "Micro-batches per optimizer step (1)" };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (1e-4)" };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up share of the steps (0.06), then linear decay to 0" };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps of the run (default: --epochs passes); 0 writes the starting model untrained, the no-pre-training control" };
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training sequences when --steps is not given (1)" };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Held-out evaluation every N steps (50)" };
        var evalSequences = new Option<int?>("--eval-sequences") { Description = "Held-out sequences evaluated (64)" };
        var heldOut = new Option<double?>("--held-out") { Description = "Share of the documents held out (0.02)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Checkpoint every N steps (100)" };
        var stopAfter = new Option<int?>("--stop-after-steps") { Description = "Stop with a checkpoint after N steps in total; run again to continue" };
        var wholeWord = new Option<bool>("--whole-word") { Description = "Whole-word masking" };
        var freezeEncoder = new Option<bool>("--freeze-encoder") { Description = "Train the masked-LM head's transform and bias only (a fresh head's first stage); the encoder and word embeddings stay fixed" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of masks, order, head and model initialisation (1)" };
        var textField = new Option<string>("--text-field") { Description = "JSONL field holding the text (text)" };
        var command = new Command("pretrain", "Masked-language-model pre-training: continue a pretrained encoder or train one from scratch (resumable)");
        foreach (var o in new Option[] { corpus, model, config, tokenizer, output, maxLength, batch, accumulate, lr, warmup, steps, epochs, evalEvery, evalSequences,
                     heldOut, checkpointEvery, stopAfter, wholeWord, freezeEncoder, seed, textField })
            command.Options.Add(o);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            try
            {
                var d = new PretrainOptions();
                var options = new PretrainOptions
                {
                    MaxLength = parseResult.GetValue(maxLength) ?? d.MaxLength,
                    BatchSize = parseResult.GetValue(batch) ?? d.BatchSize,
                    AccumulationSteps = parseResult.GetValue(accumulate) ?? d.AccumulationSteps,
                    LearningRate = parseResult.GetValue(lr) ?? d.LearningRate,
                    WarmupFraction = parseResult.GetValue(warmup) ?? d.WarmupFraction,
                    Steps = parseResult.GetValue(steps) ?? d.Steps,
                    Epochs = parseResult.GetValue(epochs) ?? d.Epochs,
                    EvalEverySteps = parseResult.GetValue(evalEvery) ?? d.EvalEverySteps,
                    EvalSequences = parseResult.GetValue(evalSequences) ?? d.EvalSequences,
                    HeldOutFraction = parseResult.GetValue(heldOut) ?? d.HeldOutFraction,
                    CheckpointEverySteps = parseResult.GetValue(checkpointEvery) ?? d.CheckpointEverySteps,
                    StopAfterSteps = parseResult.GetValue(stopAfter) ?? d.StopAfterSteps,
                    FreezeEncoder = parseResult.GetValue(freezeEncoder),
                    Seed = parseResult.GetValue(seed) ?? d.Seed,
                    Masking = d.Masking with { WholeWord = parseResult.GetValue(wholeWord) },
                };
                var request = new PretrainRequest(parseResult.GetValue(corpus)!, parseResult.GetValue(output)!, options)
                {
                    ModelDir = parseResult.GetValue(model) is { } m ? PretrainedModels.Resolve(m, progress: CliConsole.Log) : null,
                    Config = parseResult.GetValue(config),
                    TokenizerDir = parseResult.GetValue(tokenizer),
                    TextField = parseResult.GetValue(textField) ?? "text",
                };
                var result = PretrainJob.Run(request, new ProgressLog(), CliConsole.Log, cancellationToken);
                if (result.Completed) PretrainPlot.Write(result, request.OutDir);
                Print(result, request.OutDir);
                return 0;
            }
            catch (OperationCanceledException)
            {
                CliConsole.Log("pretrain: interrupted; run the same command again to resume from the last checkpoint");
                return 130;
            }
            catch (TrainingDivergedException e)
            {
                CliConsole.Log($"pretrain: {e.Message}");
                return 3;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or KeyNotFoundException or UnauthorizedAccessException
                                          or NotSupportedException or InvalidOperationException)
            {
                CliConsole.Log($"pretrain: {e.Message}");
                return 1;
            }
        }, CancellationToken.None));
        return command;
    }

    private static void Print(PretrainResult result, string outDir)
    {
        var table = new Table().AddColumns("step", "held-out MLM loss", "held-out accuracy", "masked tokens");
        foreach (var p in result.HeldOut)
            table.AddRow(Inv($"{p.Step}"), Inv($"{p.Loss:0.0000}"), Inv($"{p.Accuracy:0.0000}"), Inv($"{p.MaskedTokens}"));
        AnsiConsole.Write(table);
        Console.WriteLine(Inv($"unigram baseline on the same held-out masks: {result.UnigramLoss:0.0000}"));
        Console.WriteLine(result.Completed
            ? $"model: {Path.GetFullPath(outDir)} ({result.TotalSteps} steps on {result.TrainSequences} sequences)"
            : $"stopped after {result.TotalSteps} of {result.Steps} steps; checkpoint in {Path.Combine(outDir, CheckpointStore.CurrentName)}; run again to continue");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Progress lines on stderr: every 1% of the steps and every evaluation, with the ETA from this session's pace.</summary>
    private sealed class ProgressLog : IProgress<PretrainProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private int? firstStep;
        private int lastPercent = -1;

        public void Report(PretrainProgress p)
        {
            if (firstStep is null)
            {
                firstStep = p.Step;
                clock.Restart();
            }
            if (p.HeldOut is { } h)
            {
                CliConsole.Log(Inv($"[{DateTime.Now:HH:mm:ss}] step {p.Step}/{p.Steps} held-out loss {h.Loss:0.0000} accuracy {h.Accuracy:0.0000}"));
                return;
            }
            var percent = (int)(100L * p.Step / Math.Max(1, p.Steps));
            if (percent == lastPercent && p.Step != p.Steps) return;
            lastPercent = percent;
            var done = p.Step - firstStep.Value;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / Math.Max(1, done) * (p.Steps - p.Step));
            CliConsole.Log(Inv($"[{DateTime.Now:HH:mm:ss}] {percent,3}% step {p.Step}/{p.Steps} epoch {p.Epoch + 1} loss {p.Loss:0.0000} lr {p.LearningRate:0.###e0} ETA {eta:hh\\:mm\\:ss}"));
        }
    }
}
