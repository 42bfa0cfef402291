using System.Globalization;
using System.Text;
using MathNet.Numerics;

namespace CogLtx.Experiments.Scaling;

/// <summary>Training and inference cost of one method at one document length.</summary>
/// <param name="TrainStepSeconds">Wall seconds per optimizer step (batch 4, no accumulation).</param>
/// <param name="TrainPeakManagedMb">Largest managed heap during training, above what was live before it (MB).</param>
/// <param name="TrainPeakWorkingSetMb">Largest process working set during training (MB, runtime included).</param>
/// <param name="InferSecondsPerDocument">Mean wall seconds per test document, tokenization and splitting included.</param>
/// <param name="InferPeakManagedMb">Largest managed heap during inference, above what was live before it (MB).</param>
/// <param name="InferPeakWorkingSetMb">Largest process working set during inference (MB).</param>
/// <param name="Units">CogLTX: document blocks; sliding window: windows per document.</param>
/// <param name="EncoderInputs">512-token encoder inputs per document at inference (CogLTX: judge inputs of MemRecall).</param>
public sealed record PhaseCost(double TrainStepSeconds, double TrainPeakManagedMb, double TrainPeakWorkingSetMb, double InferSecondsPerDocument,
    double InferPeakManagedMb, double InferPeakWorkingSetMb, double Units, double EncoderInputs);

/// <summary>One document length: CogLTX's cost and, when measured, the sliding-window baseline's.</summary>
/// <param name="SlidingOutOfMemory">The sliding window ran out of memory at this length or a shorter one (a heap limit).</param>
public sealed record ScalingPoint(int TargetTokens, double MeanTokens, PhaseCost CogLtx, PhaseCost? Sliding, bool SlidingOutOfMemory = false)
{
    public string Summary()
    {
        var cogltx = FormattableString.Invariant(
            $"{MeanTokens:0} tokens: CogLTX train {CogLtx.TrainStepSeconds:0.00} s/step, peak +{CogLtx.TrainPeakManagedMb:0} MB; inference {CogLtx.InferSecondsPerDocument:0.00} s/doc, peak +{CogLtx.InferPeakManagedMb:0} MB");
        if (SlidingOutOfMemory) return cogltx + "; sliding window out of memory";
        return Sliding is { } s
            ? cogltx + FormattableString.Invariant($"; sliding window train peak +{s.TrainPeakManagedMb:0} MB, inference {s.InferSecondsPerDocument:0.00} s/doc")
            : cogltx;
    }
}

/// <summary>A least-squares line of seconds against document length: seconds per 1k tokens, intercept (s), R².</summary>
public sealed record LineFit(double PerThousand, double Intercept, double RSquared);

/// <summary>A scaling run: the encoder, GEMM backend, threads, and one point per length.</summary>
public sealed record ScalingResult(string Model, string GemmBackend, int Threads, int TrainDocuments, int TestDocuments, IReadOnlyList<ScalingPoint> Points)
{
    /// <summary>Least-squares line of CogLTX inference seconds against document tokens; null below two lengths.</summary>
    public LineFit? InferenceFit => Line(p => p.CogLtx.InferSecondsPerDocument);

    /// <summary>The same line for the sliding-window baseline, over the lengths it was measured at; null below two.</summary>
    public LineFit? SlidingInferenceFit => Line(p => p.Sliding?.InferSecondsPerDocument);

    /// <summary>Largest over smallest CogLTX training peak (managed, above idle): 1 means flat.</summary>
    public double TrainMemoryGrowth => Points.Max(p => p.CogLtx.TrainPeakManagedMb) / Math.Max(1e-9, Points.Min(p => p.CogLtx.TrainPeakManagedMb));

    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"{Model}; GEMM {GemmBackend}; {Threads} threads; per length {TrainDocuments} training documents (one epoch) and {TestDocuments} timed test documents");
        s.AppendLine();
        s.AppendLine("| tokens | blocks | CogLTX train s/step | train peak MB (managed Δ / working set) | inference s/doc | judge inputs/doc | inference peak MB (Δ / WS) | sliding windows | sliding train s/step | sliding train peak MB (Δ / WS) | sliding inference s/doc |");
        s.AppendLine("|---:|---:|---:|---|---:|---:|---|---:|---:|---|---:|");
        foreach (var p in Points)
        {
            var c = p.CogLtx;
            var w = p.Sliding;
            s.Append(FormattableString.Invariant(
                $"| {p.MeanTokens:N0} | {c.Units:0} | {c.TrainStepSeconds:0.000} | {c.TrainPeakManagedMb:0} / {c.TrainPeakWorkingSetMb:0} | {c.InferSecondsPerDocument:0.000} | {c.EncoderInputs:0} | {c.InferPeakManagedMb:0} / {c.InferPeakWorkingSetMb:0} | "));
            s.AppendLine(w is not null
                ? FormattableString.Invariant($"{w.Units:0.0} | {w.TrainStepSeconds:0.000} | {w.TrainPeakManagedMb:0} / {w.TrainPeakWorkingSetMb:0} | {w.InferSecondsPerDocument:0.000} |")
                : p.SlidingOutOfMemory ? "out of memory | | | |" : " | | | |");
        }
        s.AppendLine();
        var fit = InferenceFit is { } f
            ? FormattableString.Invariant($"{f.PerThousand:0.000} s per 1k tokens + {f.Intercept:0.000} s (least squares, R² = {f.RSquared:0.0000})")
            : "one length, no line fitted";
        s.AppendLine(CultureInfo.InvariantCulture,
            $"CogLTX inference: {fit}; training peak: largest / smallest across lengths {TrainMemoryGrowth:0.00}×.");
        var measured = Points.Where(p => p.Sliding is not null).ToList();
        if (measured.Count >= 2 && SlidingInferenceFit is var (ws, wi, wr2))
        {
            var growth = measured[^1].Sliding!.TrainPeakManagedMb / Math.Max(1e-9, measured[0].Sliding!.TrainPeakManagedMb);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"Sliding window inference: {ws:0.000} s per 1k tokens + {wi:0.000} s (R² = {wr2:0.0000}); its training peak grows {growth:0.00}× from the shortest to the longest length it was measured at.");
        }
        if (Points.FirstOrDefault(p => p.SlidingOutOfMemory) is { } oom)
            s.AppendLine(CultureInfo.InvariantCulture, $"Sliding window ran out of memory at {oom.MeanTokens:N0} tokens; CogLTX was measured at every length.");
        return s.ToString();
    }

    private LineFit? Line(Func<ScalingPoint, double?> y)
    {
        var measured = Points.Select(p => (X: p.MeanTokens / 1000, Y: y(p))).Where(m => m.Y is not null).ToList();
        if (measured.Count < 2) return null;
        var xs = measured.Select(m => m.X).ToArray();
        var ys = measured.Select(m => m.Y!.Value).ToArray();
        var (intercept, slope) = Fit.Line(xs, ys);
        var r2 = GoodnessOfFit.RSquared(xs.Select(x => intercept + slope * x), ys);
        return new LineFit(slope, intercept, r2);
    }
}
