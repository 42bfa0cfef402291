using System.CommandLine;
using System.Globalization;
using System.Text;
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
                var document = Text.Input.Utf8Input.ReadAll(Console.OpenStandardInput(), "stdin");
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
        // Query block spans index the text the query was tokenized from: QA puts the slot words before the question.
        var queryText = pipeline.Setup.Task == ReasonerTask.SpanQa ? string.Concat(pipeline.Setup.QuerySlots.Select(s => s + " ")) + query : query ?? "";
        foreach (var step in trace.Steps) PrintStep(step, document, queryText);
        AnsiConsole.MarkupLine($"[bold]z[/]: {trace.Blocks.Count(b => b.Kind == BlockKind.Document)} document blocks, {trace.TokenCount} tokens, {trace.ScoredInputs} judge inputs");
        Console.WriteLine(outcome);
        return 0;
    }

    private static void PrintStep(MemRecallStep step, string document, string query)
    {
        AnsiConsole.MarkupLine($"[bold]step {step.Step + 1}[/] (stride {step.Increment}, keep {step.KeepCount}, {step.GroupCount} competition groups)");
        // Each problem's query blocks are numbered just before its document blocks (a multi-label document repeats
        // both per label, one counter running on), so a document block's index in the coarse score list is its position
        // minus the last query block's position, minus 1. Every query block is in z from the start.
        var lastQuery = step.Rehearsed.Where(b => b.Kind == BlockKind.Query).Max(b => b.Position);
        var table = new Table().AddColumns("block", "chars", "coarse", "fine", "", "text");
        var entered = step.Entered.ToHashSet(ReferenceEqualityComparer.Instance);
        var decayed = step.Decayed.ToHashSet(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < step.Rehearsed.Count; i++)
        {
            var b = step.Rehearsed[i];
            var status = b.Kind == BlockKind.Query ? "query" : decayed.Contains(b) ? "decayed" : entered.Contains(b) ? "entered" : "kept";
            // Cells are plain text: spans print as "[230, 258)", which Spectre would read as a markup tag.
            table.AddRow(
                new Spectre.Console.Text(b.Position.ToString(CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(b.Span.IsEmpty || b.Kind == BlockKind.Query ? "" : b.Span.ToString()),
                new Spectre.Console.Text(Coarse(step, b, lastQuery)),
                new Spectre.Console.Text(step.FineScores[i].ToString("0.000", CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(status),
                new Spectre.Console.Text(Snippet(b, b.Kind == BlockKind.Query ? query : document)));
        }
        AnsiConsole.Write(table);
        if (step.StoppedAt is { } stop) AnsiConsole.MarkupLine($"[grey]filling stopped at block {stop.Position} ({stop.Length} tokens did not fit)[/]");
        var best = step.CoarseScores.Select((s, i) => (s, i)).OrderByDescending(x => x.s).Take(5)
            .Select(x => x.s.ToString("0.000", CultureInfo.InvariantCulture) + $" (#{x.i})");
        AnsiConsole.MarkupLine($"[grey]top coarse scores (document block index): {string.Join(", ", best)}[/]");
    }

    private static string Coarse(MemRecallStep step, Block b, long lastQuery)
    {
        var index = b.Position - lastQuery - 1;
        return b.Kind == BlockKind.Query || index < 0 || index >= step.CoarseScores.Count
            ? ""
            : step.CoarseScores[(int)index].ToString("0.000", CultureInfo.InvariantCulture);
    }

    // A query block's span points into the question (or label name), a document block's into the document.
    private static string Snippet(Block b, string source)
    {
        if (b.Span.IsEmpty || b.Span.End > source.Length) return "";
        return Printable(source.AsSpan(b.Span.Start, b.Span.Length));
    }

    /// <summary>
    /// At most <see cref="Preview"/> code points of <paramref name="text"/> for a table cell, cut between code points;
    /// white space and control characters print as spaces, and format, combining, private-use and unassigned
    /// characters and lone surrogates as '?': Spectre's cell-width table throws IndexOutOfRangeException on some of
    /// them (found by the input property tests).
    /// </summary>
    internal static string Printable(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder();
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == Preview - 1)
            {
                builder.Append('…');
                break;
            }
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune)) builder.Append(' ');
            else if (rune == Rune.ReplacementChar || category is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                     or UnicodeCategory.OtherNotAssigned or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
                builder.Append('?');
            else builder.Append(rune.ToString());
            count++;
        }
        return builder.ToString();
    }
}
