using System.Diagnostics;
using CogLtx.Data;
using CogLtx.Reasoner;
using CogLtx.Reasoner.Metrics;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Training.Inference;

namespace CogLtx.Training.Evaluation;

/// <summary>One evaluated example: what was predicted and how MemRecall did on the gold-relevant blocks.</summary>
/// <param name="Prediction">The answer text as the HotpotQA script compares it ("yes", "no", "noanswer" for the slots), or the label name.</param>
/// <param name="RelevantRecall">Share of the gold-relevant document blocks that MemRecall put into z (NaN when the example has none).</param>
/// <param name="SelectedTokens">Tokens the reasoner read: the query and the document blocks of z.</param>
public sealed record ExampleResult(string Id, string Prediction, string Gold, double RelevantRecall, int SelectedTokens, bool Correct)
{
    /// <summary>Predicted class id (classification; multi-label: the label queried); −1 for span QA.</summary>
    public int Label { get; init; } = -1;

    /// <summary>Predicted supporting sentences (span QA on documents with sentence origins; empty otherwise).</summary>
    public IReadOnlyList<SupportingFact> SupportingFacts { get; init; } = [];
}

/// <summary>
/// Metrics of a test set (spec §6 "Evaluation"): QA answer EM/F1 (HotpotQA normaliser), supporting-fact and joint
/// EM/F1 when the data has sentence-level evidence, classification accuracy and micro/macro F1, and MemRecall's recall
/// of the gold-relevant blocks. Null fields do not apply to the task.
/// </summary>
public sealed record EvaluationReport(
    int Count,
    Prf? Answer,
    Prf? SupportingFacts,
    Prf? Joint,
    ClassificationScore? Classification,
    double RelevantRecall,
    double AllRelevantFound,
    double MeanSelectedTokens,
    TimeSpan Elapsed,
    IReadOnlyList<ExampleResult> Examples);

/// <summary>Runs CogLTX inference over converted examples and scores it.</summary>
public static class Evaluator
{
    /// <summary>Examples predicted together by default: one judge call's worth of rehearsal inputs (InferenceBatchSize 16).</summary>
    public const int DefaultDocumentsPerPass = 16;

    /// <summary>
    /// Evaluates <paramref name="examples"/> (converted with <paramref name="models"/>' converter, gold relevance kept).
    /// Puts the models in eval mode. <paramref name="useMemRecall"/> false scores the head-truncation selection instead.
    /// Answers are decoded and supporting facts chosen as the models' task setup says (<see cref="TaskSetup.Decoding"/>,
    /// <see cref="TaskSetup.SupportingFacts"/>, spec §6), so every command evaluates a data set the same way.
    /// <paramref name="documentsPerPass"/> examples are predicted together (<see cref="CogLtxPredictor.ClassifyMany"/>,
    /// <see cref="CogLtxPredictor.AnswerMany"/>: MemRecall in lock step, judge and reasoner calls holding several
    /// documents); the predictions do not depend on it, 1 predicts document by document.
    /// </summary>
    public static EvaluationReport Evaluate(CogLtxModels models, IReadOnlyList<CogLtxExample> examples, bool useMemRecall = true,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default, int documentsPerPass = DefaultDocumentsPerPass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(documentsPerPass, 1);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("no examples to evaluate", nameof(examples));
        models.Eval();
        var predictor = new CogLtxPredictor(models);
        var clock = Stopwatch.StartNew();
        var results = new List<ExampleResult>();
        var answers = new List<Prf>();
        var facts = new List<Prf>();
        var joints = new List<Prf>();
        var predictedLabels = new Dictionary<string, HashSet<int>>();
        var goldLabels = new Dictionary<string, HashSet<int>>();
        var order = new List<string>();
        for (var first = 0; first < examples.Count; first += documentsPerPass)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pass = examples.Skip(first).Take(documentsPerPass).ToList();
            if (models.Setup.Task == ReasonerTask.SpanQa)
            {
                var passPredictions = predictor.AnswerMany(pass, useMemRecall, cancellationToken);
                for (var j = 0; j < pass.Count; j++)
                {
                    var (example, p) = (pass[j], passPredictions[j]);
                    var gold = GoldAnswer(example.Source);
                    var score = AnswerMetrics.Score(PredictedText(p), gold);
                    answers.Add(score);
                    if (example.Source.Sentences is { } sentences)
                    {
                        var goldFacts = sentences.Where(s => s.IsSupporting).Select(s => new SupportingFact(s.Title ?? "", s.Index));
                        var sp = HotpotMetrics.SupportingFactScore(p.SupportingFacts, goldFacts);
                        facts.Add(sp);
                        joints.Add(HotpotMetrics.Joint(score, sp));
                    }
                    results.Add(Result(example, PredictedText(p), gold, p.KeyBlocks, score.ExactMatch == 1) with { SupportingFacts = p.SupportingFacts });
                }
            }
            else
            {
                var passPredictions = predictor.ClassifyMany(pass, useMemRecall, cancellationToken);
                for (var j = 0; j < pass.Count; j++)
                {
                    var (example, p) = (pass[j], passPredictions[j]);
                    var id = example.Source.Id;
                    if (!predictedLabels.ContainsKey(id))
                    {
                        order.Add(id);
                        predictedLabels[id] = [];
                        goldLabels[id] = [.. example.Source.Labels.Select(l => IndexOf(models.Setup.LabelNames, l))];
                    }
                    var label = models.Setup.Task == ReasonerTask.Classification ? p.LabelId : example.LabelId!.Value;
                    if (models.Setup.Task == ReasonerTask.Classification || p.LabelId == 1) predictedLabels[id].Add(label);
                    var goldText = string.Join(",", example.Source.Labels);
                    results.Add(Result(example, models.Setup.LabelNames[label], goldText, p.KeyBlocks,
                        goldLabels[id].Contains(label) == (p.LabelId == 1 || models.Setup.Task == ReasonerTask.Classification)) with { Label = label });
                }
            }
            progress?.Report(first + pass.Count);
        }
        ClassificationScore? classification = null;
        if (models.Setup.Task != ReasonerTask.SpanQa)
            classification = ClassificationMetrics.MultiLabel(
                [.. order.Select(id => (IReadOnlySet<int>)predictedLabels[id])],
                [.. order.Select(id => (IReadOnlySet<int>)goldLabels[id])]);
        var withRelevant = results.Where(r => !double.IsNaN(r.RelevantRecall)).ToList();
        return new EvaluationReport(
            examples.Count,
            answers.Count > 0 ? HotpotMetrics.MeanOf(answers) : null,
            facts.Count > 0 ? HotpotMetrics.MeanOf(facts) : null,
            joints.Count > 0 ? HotpotMetrics.MeanOf(joints) : null,
            classification,
            withRelevant.Count > 0 ? withRelevant.Average(r => r.RelevantRecall) : double.NaN,
            withRelevant.Count > 0 ? withRelevant.Average(r => r.RelevantRecall >= 1 ? 1.0 : 0.0) : double.NaN,
            results.Average(r => r.SelectedTokens),
            clock.Elapsed,
            results);
    }

    /// <summary>The gold answer text as the HotpotQA script compares it ("yes", "no", "noanswer" for the slots).</summary>
    public static string GoldAnswer(LongDocExample source) => source.Answer?.Kind switch
    {
        AnswerKind.Yes => "yes",
        AnswerKind.No => "no",
        AnswerKind.NoAnswer => "noanswer",
        _ => source.Answer?.Text ?? "",
    };

    private static string PredictedText(QaPrediction p) => p.Kind == AnswerKind.NoAnswer ? "noanswer" : p.Answer;

    private static ExampleResult Result(CogLtxExample example, string prediction, string gold, IReadOnlyList<KeyBlock> keyBlocks, bool correct)
    {
        var selected = keyBlocks.Select(k => k.Position).ToHashSet();
        var recall = example.GoldRelevant.Count == 0 ? double.NaN : example.GoldRelevant.Count(b => selected.Contains(b.Position)) / (double)example.GoldRelevant.Count;
        var tokens = example.Blocks.AllBlocks.Where(b => b.Kind == BlockKind.Query || selected.Contains(b.Position)).Sum(b => b.Length);
        return new ExampleResult(example.Source.Id, prediction, gold, recall, tokens, correct);
    }

    private static int IndexOf(IReadOnlyList<string> names, string label)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == label) return i;
        throw new InvalidDataException($"label \"{label}\" is not one of the model's labels ({string.Join(", ", names)})");
    }
}
