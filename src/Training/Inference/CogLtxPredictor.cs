using System.Diagnostics;
using CogLtx.Judge;
using CogLtx.MemRecall;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Decoding;
using CogLtx.Reasoner.Metrics;
using CogLtx.Tensors;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Training.Inference;

/// <summary>
/// CogLTX inference on converted examples (spec §6; main_loop.py <c>prediction</c>): MemRecall with the judge selects z,
/// the reasoner reads the unpadded z+, the head's output is decoded. Without MemRecall (<c>useMemRecall: false</c>)
/// z is the query plus the first document blocks that fit the capacity (head truncation), the cheap fallback.
/// Stateless: it never changes the models' mode (put them in eval mode first) and shares nothing between calls.
/// </summary>
public sealed class CogLtxPredictor
{
    private readonly CogLtxModels models;
    private readonly JudgeScorer scorer;
    private readonly MemRecaller memRecall;
    private readonly IReadOnlyDictionary<int, AnswerKind> slots;

    /// <param name="decoding">Span decoding constants; null: the model's (<see cref="TaskSetup.Decoding"/>). Supporting
    /// facts follow <see cref="TaskSetup.SupportingFacts"/>.</param>
    /// <param name="supportingFactThreshold">The heuristic's same-paragraph threshold (spec §6).</param>
    public CogLtxPredictor(CogLtxModels models, SpanDecodingOptions? decoding = null, float supportingFactThreshold = 0.9f)
    {
        ArgumentNullException.ThrowIfNull(models);
        this.models = models;
        Decoding = decoding ?? models.Setup.Decoding;
        SupportingFacts = models.Setup.SupportingFacts;
        SupportingFactThreshold = supportingFactThreshold;
        scorer = new JudgeScorer(models.Judge);
        memRecall = new MemRecaller(scorer, models.Options);
        slots = ExampleConverter.SlotPositionsOf(models.Tokenizer, models.Setup).ToDictionary(p => p.Value, p => TaskSetup.SlotKind(p.Key));
    }

    /// <summary>How answer spans are decoded.</summary>
    public SpanDecodingOptions Decoding { get; }

    /// <summary>How supporting facts are chosen.</summary>
    public SupportingFactMode SupportingFacts { get; }

    /// <summary>run_hotpotqa.py <c>sp_threshold</c> (0.9 at HEAD).</summary>
    public float SupportingFactThreshold { get; }

    /// <summary>
    /// z: MemRecall's selection, or the head-truncation selection when <paramref name="useMemRecall"/> is false. With a
    /// <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp) MemRecall throws <see cref="TimeoutException"/>
    /// at its next judge call past it, a check that does not depend on a timer thread getting scheduled.
    /// </summary>
    public (IReadOnlyList<Block> Blocks, IReadOnlyList<float> Scores, MemRecallResult? Trace) Select(ExampleBlocks example, bool useMemRecall,
        CancellationToken ct, long? deadline = null) => SelectMany([example], useMemRecall, ct, deadline)[0];

    /// <summary>
    /// <see cref="Select"/> for many examples at once: MemRecall runs them in lock step (<see cref="MemRecaller.RunMany"/>),
    /// so the judge calls hold the inputs of several documents. Each selection equals <see cref="Select"/>'s for that example.
    /// </summary>
    public IReadOnlyList<(IReadOnlyList<Block> Blocks, IReadOnlyList<float> Scores, MemRecallResult? Trace)> SelectMany(
        IReadOnlyList<ExampleBlocks> examples, bool useMemRecall, CancellationToken ct, long? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (useMemRecall)
        {
            var recaller = deadline is { } d ? new MemRecaller(new DeadlineScorer(scorer, d), models.Options) : memRecall;
            return [.. recaller.RunMany(examples, ct).Select(r => (r.Blocks, r.FineScores, (MemRecallResult?)r))];
        }
        return [.. examples.Select(HeadSelection)];
    }

    private (IReadOnlyList<Block>, IReadOnlyList<float>, MemRecallResult?) HeadSelection(ExampleBlocks example)
    {
        var z = BlockBuffer.Sorted(example.QueryBlocks);
        foreach (var block in example.DocumentBlocks)
        {
            if (z.TokenCount + block.Length > models.Options.Capacity) break;
            z.Add(block);
        }
        return (z.ToList(), z.Select(_ => float.NaN).ToList(), null);
    }

    /// <summary>Span-QA prediction for one converted example.</summary>
    public QaPrediction Answer(CogLtxExample example, bool useMemRecall = true, CancellationToken ct = default, long? deadline = null) =>
        AnswerMany([example], useMemRecall, ct, deadline)[0];

    /// <summary>
    /// Span-QA predictions for many examples: z chosen by <see cref="SelectMany"/>, the reasoner run on the z+ inputs in
    /// batches (<see cref="ReasonerForward"/>). Each prediction equals <see cref="Answer"/>'s for that example.
    /// </summary>
    public IReadOnlyList<QaPrediction> AnswerMany(IReadOnlyList<CogLtxExample> examples, bool useMemRecall = true, CancellationToken ct = default, long? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (models.Setup.Task != ReasonerTask.SpanQa) throw new InvalidOperationException($"this model solves {models.Setup.Task}, not span QA");
        var selections = SelectMany([.. examples.Select(e => e.Blocks)], useMemRecall, ct, deadline);
        ct.ThrowIfCancellationRequested();
        var inputs = selections.Select(s => AssembledInput.From(s.Blocks)).ToList();
        var predictions = new QaPrediction[examples.Count];
        ReasonerForward(inputs, ct, (i, output, row) =>
        {
            var (z, scores, trace) = selections[i];
            var input = inputs[i];
            var queryLength = z.TakeWhile(b => b.Kind == BlockKind.Query).Sum(b => b.Length);
            var layout = new SpanLayout(input.Length, queryLength, slots);
            var width = output.StartLogits!.Dim(1);
            var span = SpanDecoder.Decode(output.StartLogits.Data.AsSpan(row * width, input.Length),
                output.EndLogits!.Data.AsSpan(row * width, input.Length), layout, Decoding);
            CharSpan? chars = null;
            var text = span.Kind switch
            {
                AnswerKind.Yes => TaskSetup.YesSlot,
                AnswerKind.No => TaskSetup.NoSlot,
                _ => "",
            };
            if (span.Kind == AnswerKind.Span && CharsOf(input, span.Start, span.End) is { } c)
            {
                chars = c;
                text = examples[i].Text[c.Start..c.End];
            }
            var facts = PredictSupportingFacts(input, scores, span);
            predictions[i] = new QaPrediction(text, span.Kind, chars, span.Score, KeyBlocks(z, scores, examples[i].Text), trace, facts);
        });
        return predictions;
    }

    /// <summary>Classification (or one multi-label query) prediction for one converted example.</summary>
    public ClassPrediction Classify(CogLtxExample example, bool useMemRecall = true, CancellationToken ct = default, long? deadline = null) =>
        ClassifyMany([example], useMemRecall, ct, deadline)[0];

    /// <summary>
    /// Classification predictions for many examples: z chosen by <see cref="SelectMany"/>, the reasoner run on the z+
    /// inputs in batches (<see cref="ReasonerForward"/>). Each prediction equals <see cref="Classify"/>'s for that example.
    /// </summary>
    public IReadOnlyList<ClassPrediction> ClassifyMany(IReadOnlyList<CogLtxExample> examples, bool useMemRecall = true, CancellationToken ct = default, long? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (models.Setup.Task == ReasonerTask.SpanQa) throw new InvalidOperationException("this model solves span QA, not classification");
        var selections = SelectMany([.. examples.Select(e => e.Blocks)], useMemRecall, ct, deadline);
        ct.ThrowIfCancellationRequested();
        var inputs = selections.Select(s => AssembledInput.From(s.Blocks)).ToList();
        var predictions = new ClassPrediction[examples.Count];
        ReasonerForward(inputs, ct, (i, output, row) =>
        {
            var (z, scores, trace) = selections[i];
            var classes = output.Logits!.Dim(1);
            var probabilities = Softmax(output.Logits.Data.AsSpan(row * classes, classes));
            var best = 0;
            for (var c = 1; c < probabilities.Length; c++)
                if (probabilities[c] > probabilities[best]) best = c;
            predictions[i] = new ClassPrediction(best, probabilities[best], probabilities, KeyBlocks(z, scores, examples[i].Text), trace);
        });
        return predictions;
    }

    /// <summary>
    /// The reasoner on <paramref name="inputs"/> without recording gradients, in the calls of
    /// <see cref="InferenceBatches.Plan"/> (at most <see cref="CogLtxOptions.InferenceBatchSize"/> rows of alike length),
    /// each padded to its longest row (padding is masked); <paramref name="read"/> gets (input index, output, row).
    /// </summary>
    private void ReasonerForward(IReadOnlyList<AssembledInput> inputs, CancellationToken ct, Action<int, ReasonerOutput, int> read)
    {
        foreach (var rows in InferenceBatches.Plan([.. inputs.Select(i => i.Length)], models.Options.InferenceBatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var batch = ReasonerBatch.Create([.. rows.Select(i => inputs[i])], models.Setup.Task, models.Reasoner.Encoder.PadTokenId, requireTargets: false);
            using (models.Reasoner.Inference())
            {
                var output = models.Reasoner.Forward(batch);
                for (var r = 0; r < rows.Length; r++) read(rows[r], output, r);
            }
        }
    }

    /// <summary>Character span of z+ tokens [start, end] in the document (special tokens skipped); null if none has characters.</summary>
    internal static CharSpan? CharsOf(AssembledInput input, int start, int end)
    {
        int first = -1, last = -1;
        for (var i = 0; i < input.Blocks.Length; i++)
        {
            var block = input.Blocks[i];
            if (block.Kind != BlockKind.Document) continue;
            var span = input.BlockSpans[i];
            for (var t = Math.Max(start, span.Start); t <= Math.Min(end, span.End - 1); t++)
            {
                var chars = block.TokenOffsets[t - span.Start];
                if (chars.IsEmpty) continue;
                if (first < 0 || chars.Start < first) first = chars.Start;
                if (chars.End > last) last = chars.End;
            }
        }
        return first < 0 ? null : new CharSpan(first, last);
    }

    private IReadOnlyList<SupportingFact> PredictSupportingFacts(AssembledInput input, IReadOnlyList<float> scores, SpanPrediction span)
    {
        var blocks = input.Blocks;
        if (!blocks.Any(b => b.Origin is not null) || scores.Any(float.IsNaN)) return [];
        var facts = new List<SupportingFact>();
        void Add(BlockOrigin o)
        {
            var fact = new SupportingFact(o.Title, o.SentenceIndex);
            if (!facts.Contains(fact)) facts.Add(fact);
        }
        var byScore = Enumerable.Range(0, blocks.Length).Where(i => blocks[i].Kind == BlockKind.Document && blocks[i].Origin is not null)
            .OrderByDescending(i => scores[i]).ToList();
        if (SupportingFacts == SupportingFactMode.TopFine)
        {
            foreach (var i in byScore.Take(2)) Add(blocks[i].Origin!);
            return facts;
        }
        // (a) the sentence holding the answer's end
        if (span.Kind == AnswerKind.Span)
            for (var i = 0; i < blocks.Length; i++)
                if (input.BlockSpans[i].Start <= span.End && span.End < input.BlockSpans[i].End && blocks[i].Origin is { } o) Add(o);
        // (b) best-scored blocks of new paragraphs until two facts
        foreach (var i in byScore)
        {
            if (facts.Count >= 2) break;
            if (facts.All(f => f.Title != blocks[i].Origin!.Title)) Add(blocks[i].Origin!);
        }
        // (c) other sentences of the chosen paragraphs above the threshold (sentence 0 gets +0.05)
        var paragraphs = facts.Where(f => f.SentenceIndex != 0).Select(f => f.Title).ToHashSet();
        foreach (var i in byScore)
        {
            var o = blocks[i].Origin!;
            if (paragraphs.Contains(o.Title) && scores[i] + (o.SentenceIndex == 0 ? 0.05f : 0f) > SupportingFactThreshold) Add(o);
        }
        return facts;
    }

    private static List<KeyBlock> KeyBlocks(IReadOnlyList<Block> z, IReadOnlyList<float> scores, string text)
    {
        var result = new List<KeyBlock>();
        for (var i = 0; i < z.Count; i++)
        {
            var b = z[i];
            if (b.Kind != BlockKind.Document) continue;
            result.Add(new KeyBlock(b.Position, b.Span, b.Span.IsEmpty ? "" : text[b.Span.Start..b.Span.End], scores[i], b.Origin));
        }
        return result;
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var x in logits) max = Math.Max(max, x);
        var exp = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < exp.Length; i++) sum += exp[i] = Math.Exp(logits[i] - max);
        return [.. exp.Select(e => (float)(e / sum))];
    }
}

/// <summary>A scorer that refuses to start a judge call once a <see cref="Stopwatch"/> deadline has passed.</summary>
internal sealed class DeadlineScorer(IBlockScorer inner, long deadline) : IBlockScorer
{
    public IReadOnlyList<float[]> ScoreTokens(IReadOnlyList<AssembledInput> inputs, CancellationToken cancellationToken = default)
    {
        if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException("the time budget ran out during MemRecall");
        return inner.ScoreTokens(inputs, cancellationToken);
    }
}
