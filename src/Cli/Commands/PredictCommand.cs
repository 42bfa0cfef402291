using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CogLtx.Text.Documents;
using CogLtx.Text.Input;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx predict --model DIR &lt; in.jsonl &gt; out.jsonl</c>: runs a trained CogLTX pipeline on one JSON object per
/// input line — <c>{"id": …, "question": …, "text": …}</c> for QA models, <c>{"id": …, "text": …}</c> for classifiers
/// ("document" is accepted for "text") — and writes one result object per line, in input order: the answer or labels,
/// the score, the key blocks with their character spans (UTF-16 code units, or code points with <c>--offsets
/// code-points</c>), whether the time-budget fallback was used, and the time taken.
/// A malformed line is an error naming its line number. With <c>--shard I/N</c> only that shard's lines are predicted
/// (<see cref="PredictShard"/>), each result tagged with its input <c>"line"</c>, for <c>cogltx predict-merge</c>; with
/// <c>--slurm</c> the shards and the merge are written as Slurm jobs instead (<see cref="PredictSlurm"/>).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder: a training output (with checkpoint/) or a saved model directory", Required = true };
        var budget = new Option<double?>("--time-budget-ms") { Description = "Per-document time budget; on expiry answer by head truncation (reported)" };
        var trace = new Option<bool>("--trace") { Description = "Include MemRecall's per-step trace (blocks entered, fine scores, decayed)" };
        var offsets = OffsetsOption.Create();
        var shard = new Option<string>("--shard") { Description = "Predict only shard I of N (I/N, 0-based: input lines I+1, I+1+N, …), results tagged with their line" };
        var command = new Command("predict", "Predict with a trained CogLTX model: JSONL documents on stdin, JSONL results on stdout");
        command.Options.Add(model);
        command.Options.Add(shard);
        command.Options.Add(budget);
        command.Options.Add(trace);
        command.Options.Add(offsets);
        var slurm = new PredictSlurm();
        slurm.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Task.Run(() =>
        {
            try
            {
                var ms = parseResult.GetValue(budget);
                var part = parseResult.GetValue(shard) is { } text ? PredictShard.Parse(text) : null;
                if (ms is <= 0) throw new ArgumentException($"--time-budget-ms must be positive, got {ms}");
                var unit = OffsetsOption.Parse(parseResult.GetValue(offsets));
                var withTrace = parseResult.GetValue(trace);
                if (slurm.Requested(parseResult))
                {
                    List<string> passed = ["--offsets", parseResult.GetValue(offsets)!];
                    if (withTrace) passed.Add("--trace");
                    if (ms is { } m) passed.AddRange(["--time-budget-ms", m.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    return slurm.Write(parseResult, parseResult.GetValue(model)!, part is not null, passed);
                }
                var pipeline = CogLtxPipeline.Load(parseResult.GetValue(model)!,
                    new PipelineOptions { TimeBudget = ms is { } b ? TimeSpan.FromMilliseconds(b) : null });
                using var input = new StringReader(Text.Input.Utf8Input.ReadAll(Console.OpenStandardInput(), "stdin"));
                return Run(pipeline, input, Console.Out, withTrace, part, cancellationToken, unit);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("predict: interrupted");
                return 130;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or JsonException or InvalidOperationException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"predict: {e.Message}");
                return 1;
            }
        }, CancellationToken.None));
        return command;
    }

    internal static int Run(CogLtxPipeline pipeline, TextReader input, TextWriter output, bool withTrace, PredictShard? shard, CancellationToken cancellationToken,
        OffsetUnit offsets = OffsetUnit.Utf16)
    {
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || shard?.Takes(lineNumber) == false) continue;
            cancellationToken.ThrowIfCancellationRequested();
            var (id, question, text) = Parse(line, lineNumber);
            var result = new JsonObject { ["id"] = id };
            var units = new SpanUnits(offsets, text, question);
            if (shard is not null) result["line"] = lineNumber;
            if (pipeline.Setup.Task == ReasonerTask.SpanQa)
            {
                if (question is null) throw new InvalidDataException($"stdin line {lineNumber}: this model answers questions, but the line has no \"question\"");
                var r = pipeline.Answer(question, text, cancellationToken);
                result["answer"] = r.Answer;
                result["kind"] = r.Prediction.Kind.ToString();
                result["answer_span"] = r.Prediction.AnswerSpan is { } s ? units.Json(s, BlockKind.Document) : null;
                result["score"] = r.Score;
                Common(result, r.KeyBlocks, r.Trace, r.UsedFallback, r.FallbackReason, r.Elapsed, withTrace, units);
            }
            else
            {
                var r = pipeline.Classify(text, cancellationToken);
                result["labels"] = new JsonArray([.. r.Labels.Select(l => (JsonNode)l!)]);
                result["score"] = r.Score;
                result["probabilities"] = new JsonArray([.. r.Probabilities.Select(p => (JsonNode)p!)]);
                Common(result, r.KeyBlocks, r.Trace, r.UsedFallback, r.FallbackReason, r.Elapsed, withTrace, units);
            }
            output.WriteLine(result.ToJsonString());
            output.Flush();
        }
        return 0;
    }

    private static (JsonNode? Id, string? Question, string Text) Parse(string line, int lineNumber)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stdin line {lineNumber}: not valid JSON: {e.Message}", e);
        }
        if (node is not JsonObject obj) throw new InvalidDataException($"stdin line {lineNumber}: expected a JSON object");
        var text = (obj["text"] ?? obj["document"])?.GetValue<string>()
            ?? throw new InvalidDataException($"stdin line {lineNumber}: missing \"text\" (or \"document\")");
        return (obj["id"]?.DeepClone() ?? lineNumber, obj["question"]?.GetValue<string>(), text);
    }

    private static void Common(JsonObject result, IReadOnlyList<KeyBlock> keyBlocks, MemRecall.MemRecallResult? trace, bool fallback, string? reason,
        TimeSpan elapsed, bool withTrace, SpanUnits units)
    {
        result["key_blocks"] = new JsonArray([.. keyBlocks.Select(k =>
        {
            var block = units.Object(k.Span, BlockKind.Document);
            block["score"] = float.IsNaN(k.Score) ? null : k.Score;
            return (JsonNode)block;
        })]);
        result["used_fallback"] = fallback;
        if (reason is not null) result["fallback_reason"] = reason;
        result["elapsed_ms"] = Math.Round(elapsed.TotalMilliseconds, 1);
        if (withTrace && trace is not null)
            result["trace"] = new JsonArray([.. trace.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["step"] = s.Step,
                ["keep"] = s.KeepCount,
                ["groups"] = s.GroupCount,
                ["entered"] = new JsonArray([.. s.Entered.Select(b => (JsonNode)units.Json(b.Span, b.Kind))]),
                ["fine_scores"] = new JsonArray([.. s.Rehearsed.Select((b, i) =>
                {
                    var block = units.Object(b.Span, b.Kind);
                    block["query"] = b.Kind == BlockKind.Query;
                    block["score"] = s.FineScores[i];
                    return (JsonNode)block;
                })]),
                ["decayed"] = new JsonArray([.. s.Decayed.Select(b => (JsonNode)units.Json(b.Span, b.Kind))]),
            })]);
    }

    /// <summary>One line's character spans in the unit asked for: document blocks index the text, query blocks the question.</summary>
    private sealed class SpanUnits(OffsetUnit unit, string text, string? question)
    {
        private CodePointOffsets? textOffsets;
        private CodePointOffsets? questionOffsets;

        private (int Start, int End) Convert(CharSpan span, BlockKind kind)
        {
            if (unit == OffsetUnit.Utf16) return (span.Start, span.End);
            var map = kind == BlockKind.Query ? questionOffsets ??= CodePointOffsets.For(question ?? "") : textOffsets ??= CodePointOffsets.For(text);
            return map.FromUtf16(span.Start, span.End);
        }

        /// <summary>[start, end].</summary>
        public JsonArray Json(CharSpan span, BlockKind kind)
        {
            var (start, end) = Convert(span, kind);
            return new JsonArray(start, end);
        }

        /// <summary>{"start", "end"}, for the caller to add fields to.</summary>
        public JsonObject Object(CharSpan span, BlockKind kind)
        {
            var (start, end) = Convert(span, kind);
            return new JsonObject { ["start"] = start, ["end"] = end };
        }
    }
}
