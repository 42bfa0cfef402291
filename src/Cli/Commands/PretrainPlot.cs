using System.Globalization;
using CogLtx.Experiments.Reporting;
using CogLtx.Tensors.Io;
using CogLtx.Training.Pretraining;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>OUT/curve.svg</c> of a completed <c>cogltx pretrain</c>: the held-out masked-LM loss at each evaluation, the
/// training loss (mean of each 1% of the steps, so long runs stay readable) and the unigram baseline as a flat line.
/// </summary>
internal static class PretrainPlot
{
    /// <summary>The file name inside the output folder.</summary>
    public const string FileName = "curve.svg";

    /// <summary>Writes the chart atomically into <paramref name="outDir"/>.</summary>
    public static void Write(PretrainResult result, string outDir)
    {
        var bucket = Math.Max(1, result.Train.Count / 100);
        var train = result.Train.Chunk(bucket).Select(c => ((double)c[^1].Step, c.Average(p => p.Loss))).ToList();
        var heldOut = result.HeldOut.Select(p => ((double)p.Step, p.Loss)).ToList();
        var last = Math.Max(1, result.TotalSteps);
        var series = new List<Series>
        {
            new("held-out loss", heldOut),
            new("training loss", train),
            new(string.Create(CultureInfo.InvariantCulture, $"unigram {result.UnigramLoss:0.00}"), [(0, result.UnigramLoss), (last, result.UnigramLoss)]),
        };
        var title = string.Create(CultureInfo.InvariantCulture, $"masked-LM pre-training, {result.TotalSteps} steps");
        AtomicFile.WriteAllText(Path.Combine(outDir, FileName), SvgChart.Render(title, "optimizer step", "masked-token loss (nats)", series));
    }
}
