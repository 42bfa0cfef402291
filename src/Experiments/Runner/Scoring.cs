using CogLtx.Experiments.Reporting;
using CogLtx.Reasoner.Metrics;
using CogLtx.Text.Tasks;

namespace CogLtx.Experiments.Runner;

/// <summary>A method's answer for one test example, in the form scoring needs.</summary>
/// <param name="Label">Predicted class id (classification).</param>
/// <param name="Answer">Predicted answer text as the HotpotQA script compares it ("yes", "no", "noanswer", or the span).</param>
/// <param name="SupportingFacts">Predicted supporting sentences; null when the method predicts none (the baselines).</param>
public sealed record MethodPrediction(int Label = -1, string Answer = "", IReadOnlyList<SupportingFact>? SupportingFacts = null);

/// <summary>
/// Metrics of a method over the test set, and the per-example outcomes behind the confidence intervals:
/// classification accuracy, micro/macro F1 and accuracy on long documents (tokens + 2 &gt; threshold, spec §6 for
/// 20News); span QA answer EM/F1 (HotpotQA normaliser), supporting-fact and joint EM/F1 when both the data and the
/// method have supporting facts, and EM/F1 on long documents. The headline per-example score is correctness
/// (classification) or answer F1 (QA).
/// </summary>
public static class Scoring
{
    public static (Dictionary<string, double> Metrics, List<ExampleOutcome> Outcomes) Classification(
        IReadOnlyList<PreparedExample> test, IReadOnlyList<MethodPrediction> predictions, int longThreshold)
    {
        Check(test, predictions);
        var gold = test.Select(t => t.Input.Label ?? -1).ToList();
        var predicted = predictions.Select(p => p.Label).ToList();
        var score = ClassificationMetrics.SingleLabel(predicted, gold);
        var outcomes = test.Select((t, i) => new ExampleOutcome(t.Source.Id, predicted[i] == gold[i] ? 1 : 0, t.DocumentTokens)).ToList();
        var metrics = new Dictionary<string, double>
        {
            ["accuracy"] = score.Accuracy,
            ["micro_f1"] = score.MicroF1,
            ["macro_f1"] = score.MacroF1,
        };
        var longOnes = outcomes.Where(o => IsLong(o.DocumentTokens, longThreshold)).ToList();
        if (longOnes.Count > 0) metrics["accuracy_long"] = longOnes.Average(o => o.Score);
        return (metrics, outcomes);
    }

    public static (Dictionary<string, double> Metrics, List<ExampleOutcome> Outcomes) SpanQa(
        IReadOnlyList<PreparedExample> test, IReadOnlyList<MethodPrediction> predictions, int longThreshold)
    {
        Check(test, predictions);
        var answers = new List<Prf>();
        var facts = new List<Prf>();
        var joints = new List<Prf>();
        var outcomes = new List<ExampleOutcome>();
        var longAnswers = new List<Prf>();
        for (var i = 0; i < test.Count; i++)
        {
            var source = test[i].Source;
            var answer = AnswerMetrics.Score(predictions[i].Answer, Training.Evaluation.Evaluator.GoldAnswer(source));
            answers.Add(answer);
            if (IsLong(test[i].DocumentTokens, longThreshold)) longAnswers.Add(answer);
            outcomes.Add(new ExampleOutcome(source.Id, answer.F1, test[i].DocumentTokens));
            if (source.Sentences is { } sentences && predictions[i].SupportingFacts is { } predicted)
            {
                var gold = sentences.Where(s => s.IsSupporting).Select(s => new SupportingFact(s.Title ?? "", s.Index));
                var sp = HotpotMetrics.SupportingFactScore(predicted, gold);
                facts.Add(sp);
                joints.Add(HotpotMetrics.Joint(answer, sp));
            }
        }
        var mean = HotpotMetrics.MeanOf(answers);
        var metrics = new Dictionary<string, double> { ["em"] = mean.ExactMatch, ["f1"] = mean.F1 };
        if (facts.Count == test.Count)
        {
            var sp = HotpotMetrics.MeanOf(facts);
            var joint = HotpotMetrics.MeanOf(joints);
            metrics["sp_em"] = sp.ExactMatch;
            metrics["sp_f1"] = sp.F1;
            metrics["joint_em"] = joint.ExactMatch;
            metrics["joint_f1"] = joint.F1;
        }
        if (longAnswers.Count > 0)
        {
            var l = HotpotMetrics.MeanOf(longAnswers);
            metrics["em_long"] = l.ExactMatch;
            metrics["f1_long"] = l.F1;
        }
        return (metrics, outcomes);
    }

    /// <summary>The headline metric (<see cref="ExperimentData.HeadlineMetric"/>) of predictions for <paramref name="examples"/>.</summary>
    public static double Headline(ExperimentData data, IReadOnlyList<PreparedExample> examples, IReadOnlyList<MethodPrediction> predictions, int longThreshold)
    {
        var (metrics, _) = data.IsSpanQa ? SpanQa(examples, predictions, longThreshold) : Classification(examples, predictions, longThreshold);
        return metrics[data.HeadlineMetric];
    }

    /// <summary>Spec §6 (run_20news.py): a document is long when its tokens plus [CLS] and [SEP] exceed the threshold.</summary>
    public static bool IsLong(int documentTokens, int threshold) => documentTokens + 2 > threshold;

    private static void Check(IReadOnlyList<PreparedExample> test, IReadOnlyList<MethodPrediction> predictions)
    {
        if (test.Count != predictions.Count) throw new ArgumentException($"{predictions.Count} predictions for {test.Count} test examples");
        if (test.Count == 0) throw new ArgumentException("no test examples to score");
    }
}
