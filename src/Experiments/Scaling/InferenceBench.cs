using System.Diagnostics;
using System.Globalization;
using System.Text;
using CogLtx.Baselines;
using CogLtx.Experiments.Config;
using CogLtx.Experiments.Runner;
using CogLtx.Models;
using CogLtx.Text.Documents;
using CogLtx.Training;
using CogLtx.Training.Evaluation;
using CogLtx.Training.Inference;

namespace CogLtx.Experiments.Scaling;

/// <summary>What <see cref="InferenceBench"/> measures.</summary>
/// <param name="Config">An experiment config (e.g. experiments/20news/config.minilm.json): data set, encoder, baselines.</param>
/// <param name="Documents">Test documents (the config's seeded subset, limited to this many).</param>
/// <param name="Repeats">Timed rounds; each round times the three ways once, in turn.</param>
/// <param name="DocumentsPerPass">Documents predicted together by the batched CogLTX path.</param>
public sealed record InferenceBenchOptions(string Config, int Documents = 48, int Repeats = 3, int DocumentsPerPass = Evaluator.DefaultDocumentsPerPass)
{
    public InferenceBenchOptions Validate()
    {
        if (Documents < 1) throw new ArgumentException($"--docs must be at least 1, got {Documents}");
        if (Repeats < 1) throw new ArgumentException($"--repeats must be at least 1, got {Repeats}");
        if (DocumentsPerPass < 1) throw new ArgumentException($"--per-pass must be at least 1, got {DocumentsPerPass}");
        return this;
    }
}

/// <summary>
/// Tokens the encoders read per test document: what the algorithm asks of the engine, whatever the engine's speed.
/// </summary>
/// <param name="Judge">CogLTX's judge: every input MemRecall scored (<see cref="CogLtx.MemRecall.MemRecallResult.ScoredTokens"/>).</param>
/// <param name="Reasoner">CogLTX's reasoner: the tokens of z.</param>
/// <param name="Head">Head truncation's one row.</param>
public sealed record InferenceTokens(double Judge, double Reasoner, double Head)
{
    /// <summary>CogLTX's encoder tokens over head truncation's.</summary>
    public double Ratio => (Judge + Reasoner) / Head;
}

/// <summary>Seconds of each timed round per way of evaluating, and whether the batched predictions equal the unbatched.</summary>
public sealed record InferenceBenchResult(string Config, int Documents, double MeanDocumentTokens, int DocumentsPerPass,
    IReadOnlyList<double> CogLtxOneByOne, IReadOnlyList<double> CogLtxBatched, IReadOnlyList<double> Head, bool SamePredictions,
    InferenceTokens Tokens)
{
    public string ToMarkdown()
    {
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.AppendLine(inv, $"{Config}: {Documents} test documents, {MeanDocumentTokens:0} tokens on average; seconds per evaluation, median (range) of {Head.Count}");
        b.AppendLine();
        b.AppendLine("| way | seconds | × head truncation |");
        b.AppendLine("|---|---:|---:|");
        var head = RepeatStatistics.Median(Head);
        void Row(string name, IReadOnlyList<double> xs) =>
            b.AppendLine(inv, $"| {name} | {RepeatStatistics.Median(xs):0.00} ({xs.Min():0.00}–{xs.Max():0.00}) | {RepeatStatistics.Median(xs) / head:0.00} |");
        Row("CogLTX, one document at a time", CogLtxOneByOne);
        Row($"CogLTX, {DocumentsPerPass} documents per pass", CogLtxBatched);
        Row("head truncation (batched as the runner does)", Head);
        b.AppendLine();
        b.AppendLine(inv, $"batched / one at a time: {RepeatStatistics.Median(CogLtxBatched) / RepeatStatistics.Median(CogLtxOneByOne):0.00}; same predictions (labels, key blocks): {(SamePredictions ? "yes" : "NO")}");
        b.AppendLine(inv, $"encoder tokens per document: CogLTX judge {Tokens.Judge:0} + reasoner {Tokens.Reasoner:0} = {Tokens.Judge + Tokens.Reasoner:0}; head truncation {Tokens.Head:0}; {Tokens.Ratio:0.00}× head's");
        return b.ToString();
    }
}

/// <summary>
/// CogLTX evaluation time against head truncation's (issue 12 item 3), on a real data set and encoder, untrained heads
/// (MemRecall does the same work whatever the scores, up to its early return): the <see cref="Evaluator"/> document by
/// document, the same with <see cref="InferenceBenchOptions.DocumentsPerPass"/> documents per pass, and head
/// truncation predicted in the runner's batches (<c>evaluation.batch_size</c>). Rounds alternate the three; one untimed
/// warm-up round first. For <c>cogltx bench inference</c>: minutes of work, not a unit test.
/// </summary>
public static class InferenceBench
{
    public static InferenceBenchResult Run(InferenceBenchOptions options, string? dataDir, Action<string>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var loaded = ExperimentConfig.Load(options.Config).Validate(options.Config).Effective();
        var config = loaded with { Dataset = loaded.Dataset with { TrainLimit = 1, TestLimit = Math.Min(loaded.Dataset.TestLimit ?? int.MaxValue, options.Documents) } };
        var root = Directory.CreateTempSubdirectory("cogltx-inference-bench-");
        try
        {
            var data = ExperimentData.Prepare(config, root.FullName, dataDir);
            var models = data.Job.CreateModels(config.Training.Seed);
            models.Eval();
            var test = new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(data.Test.Select(e => e.Source), new BlockIdCounter());
            var baselineModels = data.Job.CreateModels(config.Training.Seed);
            var head = new TruncationBaseline(baselineModels.Reasoner, new Truncation(TruncationKind.Head, config.Baselines.HeadTokens),
                data.Job.Tokenizer.Specials, config.Baselines.MaxLength, MethodNames.Head) { Decoding = data.Job.Setup.Decoding };
            head.Model.Eval();

            EvaluationReport? one = null, batched = null;
            double TimeCogLtx(int perPass, out EvaluationReport report)
            {
                var clock = Stopwatch.StartNew();
                report = Evaluator.Evaluate(models, test, cancellationToken: ct, documentsPerPass: perPass);
                return clock.Elapsed.TotalSeconds;
            }
            double TimeHead()
            {
                var clock = Stopwatch.StartNew();
                var size = config.Evaluation.BatchSize;
                for (var start = 0; start < data.Test.Count; start += size)
                {
                    ct.ThrowIfCancellationRequested();
                    head.Predict([.. data.Test.Skip(start).Take(size).Select(e => e.Input)]);
                }
                return clock.Elapsed.TotalSeconds;
            }

            var (ones, manys, heads) = (new List<double>(), new List<double>(), new List<double>());
            for (var round = -1; round < options.Repeats; round++)
            {
                var a = TimeCogLtx(1, out one);
                var b = TimeCogLtx(options.DocumentsPerPass, out batched);
                var h = TimeHead();
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"{(round < 0 ? "warm-up" : $"round {round + 1}/{options.Repeats}")}: CogLTX one by one {a:0.00} s, {options.DocumentsPerPass} per pass {b:0.00} s, head {h:0.00} s"));
                if (round < 0) continue;
                ones.Add(a);
                manys.Add(b);
                heads.Add(h);
            }
            var selections = new CogLtxPredictor(models).SelectMany([.. test.Select(e => e.Blocks)], useMemRecall: true, ct);
            var tokens = new InferenceTokens(selections.Average(s => (double)(s.Trace?.ScoredTokens ?? 0)),
                selections.Average(s => (double)s.Blocks.Sum(b => b.Length)), data.Test.Average(e => (double)head.InputTokens(e.Input)));
            var same = one!.Examples.Zip(batched!.Examples).All(p => p.First.Label == p.Second.Label && p.First.Prediction == p.Second.Prediction
                && p.First.SelectedTokens == p.Second.SelectedTokens);
            return new InferenceBenchResult(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(options.Config))) + "/" + Path.GetFileName(options.Config),
                test.Count, data.Test.Average(e => (double)e.DocumentTokens), options.DocumentsPerPass, ones, manys, heads, same, tokens);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
