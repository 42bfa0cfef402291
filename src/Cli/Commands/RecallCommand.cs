using System.CommandLine;
using System.Globalization;
using CogLtx.MemRecall;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;
using Spectre.Console;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx recall --model DIR [--query TEXT] &lt; doc.txt</c>: runs MemRecall (spec §3) with the model's judge on the
/// document read from stdin and prints, per step, the blocks that entered working memory with their coarse score, the
/// rehearsal (fine) score of every block in z, and the blocks that decayed; then the final z and the reasoner's answer
/// or label. QA models need --query; for multi-label models --query names the label to recall for.
/// </summary>
internal static class RecallCommand
{
    private const int Preview = 70;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder (training output or saved model directory)", Required = true };
        var query = new Option<string>("--query") { Description = "The question (QA models) or label name (multi-label models)" };
        var command = new Command("recall", "Show which blocks MemRecall selects for a document on stdin, step by step");
        command.Options.Add(model);
        command.Options.Add(query);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            try
            {
                var pipeline = CogLtxPipeline.Load(parseResult.GetValue(model)!);
                var document = Console.In.ReadToEnd();
                return Run(pipeline, document, parseResult.GetValue(query), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("recall: interrupted");
                return 130;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"recall: {e.Message}");
                return 1;
            }
        }, CancellationToken.None));
        return command;
    }

    private static int Run(CogLtxPipeline pipeline, string document, string? query, CancellationToken cancellationToken)
    {
        MemRecallResult trace;
        string outcome;
        switch (pipeline.Setup.Task)
        {
            case ReasonerTask.SpanQa:
                if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("this model answers questions: give the question with --query");
                var qa = pipeline.Answer(query, document, cancellationToken);
                trace = qa.Trace!;
                outcome = $"answer: \"{qa.Answer}\" ({qa.Prediction.Kind}, score {qa.Score:0.###})";
                break;
            case ReasonerTask.MultiLabel:
                if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException($"multi-label model: name the label with --query ({string.Join(", ", pipeline.Setup.LabelNames)})");
                var index = pipeline.Setup.LabelNames.ToList().IndexOf(query);
                if (index < 0) throw new ArgumentException($"unknown label \"{query}\" (labels: {string.Join(", ", pipeline.Setup.LabelNames)})");
                var multi = pipeline.Classify(document, cancellationToken);
                var perLabel = multi.PerLabel![index];
                trace = perLabel.Trace!;
                outcome = string.Create(CultureInfo.InvariantCulture, $"label \"{query}\": p = {perLabel.Probabilities[1]:0.###}");
                break;
            default:
                if (!string.IsNullOrWhiteSpace(query)) Console.Error.WriteLine("recall: --query is ignored by single-label classifiers (their query is [CLS][SEP])");
                var cls = pipeline.Classify(document, cancellationToken);
                trace = cls.Trace!;
                outcome = string.Create(CultureInfo.InvariantCulture, $"label: {cls.Label} (p = {cls.Score:0.###})");
                break;
        }
        foreach (var step in trace.Steps) PrintStep(step, document);
        AnsiConsole.MarkupLine($"[bold]z[/]: {trace.Blocks.Count(b => b.Kind == BlockKind.Document)} document blocks, {trace.TokenCount} tokens, {trace.ScoredInputs} judge inputs");
        Console.WriteLine(outcome);
        return 0;
    }

    private static void PrintStep(MemRecallStep step, string document)
    {
        AnsiConsole.MarkupLine($"[bold]step {step.Step + 1}[/] (stride {step.Increment}, keep {step.KeepCount}, {step.GroupCount} competition groups)");
        // The pipeline numbers one document's blocks from 1, query first, so a document block's index in the coarse
        // score list is its position minus the number of query blocks, minus 1.
        var queryCount = step.Rehearsed.Count(b => b.Kind == BlockKind.Query);
        var table = new Table().AddColumns("block", "chars", "coarse", "fine", "", "text");
        var entered = step.Entered.ToHashSet(ReferenceEqualityComparer.Instance);
        var decayed = step.Decayed.ToHashSet(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < step.Rehearsed.Count; i++)
        {
            var b = step.Rehearsed[i];
            var status = b.Kind == BlockKind.Query ? "query" : decayed.Contains(b) ? "decayed" : entered.Contains(b) ? "entered" : "kept";
            table.AddRow(
                b.Position.ToString(CultureInfo.InvariantCulture),
                b.Span.IsEmpty ? "" : b.Span.ToString(),
                Coarse(step, b, queryCount),
                step.FineScores[i].ToString("0.000", CultureInfo.InvariantCulture),
                status,
                Markup.Escape(Snippet(b, document)));
        }
        AnsiConsole.Write(table);
        if (step.StoppedAt is { } stop) AnsiConsole.MarkupLine($"[grey]filling stopped at block {stop.Position} ({stop.Length} tokens did not fit)[/]");
        var best = step.CoarseScores.Select((s, i) => (s, i)).OrderByDescending(x => x.s).Take(5)
            .Select(x => x.s.ToString("0.000", CultureInfo.InvariantCulture) + $" (#{x.i})");
        AnsiConsole.MarkupLine($"[grey]top coarse scores (document block index): {string.Join(", ", best)}[/]");
    }

    private static string Coarse(MemRecallStep step, Block b, int queryCount)
    {
        var index = (int)(b.Position - queryCount - 1);
        return b.Kind == BlockKind.Query || index < 0 || index >= step.CoarseScores.Count
            ? ""
            : step.CoarseScores[index].ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static string Snippet(Block b, string document)
    {
        if (b.Span.IsEmpty) return "";
        var text = document[b.Span.Start..b.Span.End].ReplaceLineEndings(" ");
        return text.Length <= Preview ? text : text[..(Preview - 1)] + "…";
    }
}
