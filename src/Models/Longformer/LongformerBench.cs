using System.Diagnostics;
using System.Globalization;
using System.Text;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Longformer;

/// <summary>Figures of one sequence length (batch 1, global attention on token 0), each timing repeated.</summary>
/// <param name="ForwardTimes">Forward seconds per timed repeat, eval mode, no autograd recording (torch-peer: eval + inference_mode).</param>
/// <param name="ForwardBackwardTimes">Forward + backward seconds per repeat in train mode (dropout on), the loss below.</param>
/// <param name="TrainStepTimes">Forward + backward + AdamW step + zero_grad seconds per repeat (torch-peer's train_step).</param>
/// <param name="GraphBytes">Live managed bytes the autograd graph holds after the forward (activations): what must stay linear in T.</param>
/// <param name="PeakManagedBytes">Largest managed heap seen during forward + backward (sampled every millisecond), above the idle model.</param>
/// <param name="AllocatedBytes">Bytes allocated by one forward + backward.</param>
/// <param name="PeakWorkingSetBytes">Process peak working set once this length has run (monotonic over the run).</param>
/// <param name="TrainStepFaults">Minor page faults of each timed train step (<see cref="IterationCost.MinorFaults"/>; -1 where unreadable).</param>
public sealed record LongformerBenchPoint(int Length, IReadOnlyList<double> ForwardTimes, IReadOnlyList<double> ForwardBackwardTimes,
    IReadOnlyList<double> TrainStepTimes, long GraphBytes, long PeakManagedBytes, long AllocatedBytes, long PeakWorkingSetBytes,
    IReadOnlyList<long> TrainStepFaults)
{
    /// <summary>Median forward seconds.</summary>
    public double ForwardSeconds => RepeatStatistics.Median(ForwardTimes);
    /// <summary>Median forward + backward seconds.</summary>
    public double ForwardBackwardSeconds => RepeatStatistics.Median(ForwardBackwardTimes);
    /// <summary>Median train-step seconds.</summary>
    public double TrainStepSeconds => RepeatStatistics.Median(TrainStepTimes);
    /// <summary>Forward-pass throughput at the median, tokens per second.</summary>
    public double ForwardTokensPerSecond => Length / ForwardSeconds;
    /// <summary>Training-step throughput (forward and backward) at the median, tokens per second.</summary>
    public double TrainTokensPerSecond => Length / TrainStepSeconds;
}

/// <summary>A benchmark run: the model, the GEMM backend, one point per length, and the torch peer's figures to compare with.</summary>
/// <param name="Peer">The peer's tokens/s (forward, train step) by length; <see cref="TorchPeer"/> unless a peer JSON was given.</param>
/// <param name="PeerSource">Where <paramref name="Peer"/> comes from, printed beside it.</param>
public sealed record LongformerBenchResult(string Model, string GemmBackend, int Threads, IReadOnlyList<LongformerBenchPoint> Points,
    IReadOnlyDictionary<int, (double Forward, double Train)> Peer, string PeerSource)
{
    /// <summary>
    /// transformers 5.12.1 on PyTorch 2.14.1, 2 threads, same model and inputs (tools/torch-peer/README.md, 2026-11-22):
    /// tokens/s of forward and of the train step at 2048 and 4096 tokens. Not this sitting's: pass the peer's JSON for that.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, (double Forward, double Train)> TorchPeer = new Dictionary<int, (double, double)>
    {
        [2048] = (20_984, 5_325),
        [4096] = (18_495, 5_103),
    };

    /// <summary>Label of <see cref="TorchPeer"/>.</summary>
    public const string TorchPeerSource = "torch-peer README, 2026-11-22 (not this sitting)";

    /// <summary>A Markdown table of the figures (median, range and spread over the repeats), with the peer's figure and our ratio where it measured that length.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{Model}; GEMM {GemmBackend}; {Threads} threads; batch 1; global attention on token 0; peer: {PeerSource}");
        s.AppendLine();
        s.AppendLine("| tokens | forward tok/s (range; spread) | train tok/s (range; spread) | fwd / fwd+bwd / train s | n | train page faults (min–max) | graph MiB | peak managed MiB | allocated MiB | peak working set MiB | peer fwd / train tok/s | ours / peer fwd / train |");
        s.AppendLine("|---:|---|---|---|---:|---|---:|---:|---:|---:|---|---|");
        foreach (var p in Points)
        {
            var (peer, ratio) = Peer.TryGetValue(p.Length, out var t)
                ? ($"{t.Forward:N0} / {t.Train:N0}", $"{p.ForwardTokensPerSecond / t.Forward:F2}× / {p.TrainTokensPerSecond / t.Train:F2}×")
                : ("", "");
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Length} | {Throughput(p.Length, p.ForwardTimes)} | {Throughput(p.Length, p.TrainStepTimes)} | " +
                $"{p.ForwardSeconds:F3} / {p.ForwardBackwardSeconds:F3} / {p.TrainStepSeconds:F3} | {p.ForwardTimes.Count} | {p.TrainStepFaults.Min():N0}–{p.TrainStepFaults.Max():N0} | " +
                $"{Mib(p.GraphBytes)} | {Mib(p.PeakManagedBytes)} | {Mib(p.AllocatedBytes)} | {Mib(p.PeakWorkingSetBytes)} | {peer} | {ratio} |");
        }
        return s.ToString();
    }

    /// <summary>"14,210 (12,900–15,020; 15%)": tokens/s at the median, the range over the repeats, and the spread.</summary>
    private static string Throughput(int tokens, IReadOnlyList<double> times) => string.Create(CultureInfo.InvariantCulture,
        $"{tokens / RepeatStatistics.Median(times):N0} ({tokens / times.Max():N0}–{tokens / times.Min():N0}; {RepeatStatistics.SpreadPercent(times):F0}%)");

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>
/// Throughput and memory of <see cref="LongformerModel"/> forward and training, the workload of
/// tools/torch-peer/bench_bert.py: the mini size (L4 H256 A4 I1024, vocab 30522), window 128, batch 1, random ids
/// with &lt;s&gt; first, global attention on token 0, loss mean(last_hidden_state²) + mean(pooler_output²), AdamW
/// (lr 1e-4, weight decay 0.01). Memory should grow linearly with the length; time close to linearly.
/// For <c>cogltx bench longformer</c>; long-running (about a minute at the default lengths), not a unit test.
/// </summary>
public static class LongformerBench
{
    /// <summary>Sequence lengths measured by default.</summary>
    public static readonly IReadOnlyList<int> DefaultLengths = [1024, 2048, 4096, 8192];

    /// <param name="config">Longformer config; default <see cref="LongformerConfig.Mini"/> long enough for the longest length.</param>
    /// <param name="iterations">Timed repeats of each figure after <paramref name="warmup"/> untimed ones.</param>
    /// <param name="progress">Receives a line per finished measurement.</param>
    /// <param name="peer">The torch peer's tokens/s by length and where they come from (default: <see cref="LongformerBenchResult.TorchPeer"/>).</param>
    public static LongformerBenchResult Run(IReadOnlyList<int>? lengths = null, int warmup = 1, int iterations = 3, BertConfig? config = null,
        ulong seed = 1, Action<string>? progress = null, (IReadOnlyDictionary<int, (double Forward, double Train)> Figures, string Source)? peer = null)
    {
        lengths ??= DefaultLengths;
        if (lengths.Count == 0 || lengths.Any(l => l < 2)) throw new ArgumentException("lengths must be at least 2 tokens each");
        if (warmup < 0 || iterations < 1) throw new ArgumentException($"need warmup ≥ 0 and iterations ≥ 1, got {warmup} and {iterations}");
        config ??= LongformerConfig.Mini(maxLength: lengths.Max());
        var model = LongformerModel.Create(config, seed);
        var optimizer = new AdamW(model.NamedParameters(), learningRate: 1e-4, weightDecay: 0.01);
        var points = new List<LongformerBenchPoint>();
        foreach (var length in lengths)
        {
            if (length > model.MaxLength) throw new ArgumentException($"length {length} exceeds the model's maximum {model.MaxLength}");
            var input = Input(length, config.VocabSize, seed);

            model.Eval();
            var forward = Repeat(warmup, iterations, () =>
            {
                using var _ = Autograd.NoGrad();
                var sw = Stopwatch.StartNew();
                model.Encode(input);
                return sw.Elapsed.TotalSeconds;
            });

            model.Train();
            var fwdBwd = new List<double>();
            var faults = new List<long>();
            // As TrainingLoop runs a micro-batch: its graph in one BufferPool scope, reused by the next step.
            var pool = new BufferPool();
            var train = Repeat(warmup, iterations, () =>
            {
                var cost = IterationCost.Measure(() =>
                {
                    var sw = Stopwatch.StartNew();
                    using (pool.Begin()) Loss(model, input).Backward();
                    fwdBwd.Add(sw.Elapsed.TotalSeconds);
                    optimizer.Step();
                    optimizer.ZeroGrad();
                });
                faults.Add(cost.MinorFaults);
                return cost.Seconds;
            });

            var (graph, peak, allocated) = MeasureMemory(model, input);
            optimizer.ZeroGrad();
            using var process = Process.GetCurrentProcess();
            var point = new LongformerBenchPoint(length, forward, fwdBwd.Skip(warmup).ToList(), train,
                graph, peak, allocated, process.PeakWorkingSet64, faults.Skip(warmup).ToList());
            points.Add(point);
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"longformer {length} tokens: forward {point.ForwardTokensPerSecond:N0} tok/s, train {point.TrainTokensPerSecond:N0} tok/s, graph {graph >> 20} MiB, peak {peak >> 20} MiB"));
        }
        var name = $"Longformer L{config.NumHiddenLayers} H{config.HiddenSize} A{config.NumAttentionHeads} I{config.IntermediateSize}, window {string.Join("/", model.Windows.Distinct())}";
        var (figures, source) = peer ?? (LongformerBenchResult.TorchPeer, LongformerBenchResult.TorchPeerSource);
        return new LongformerBenchResult(name, Gemm.Backend, ComputeOptions.Current.Threads, points, figures, source);
    }

    /// <summary>torch-peer's input: ids uniform in [1000, V) (or [3, V) for a small vocabulary), &lt;s&gt; = 0 first, token 0 global.</summary>
    private static EncoderInput Input(int length, int vocab, ulong seed)
    {
        var rng = new Rng(seed + (ulong)length);
        var low = vocab > 2000 ? 1000 : 3;
        var ids = Enumerable.Range(0, length).Select(_ => rng.NextInt(low, vocab)).ToArray();
        ids[0] = 0;
        var global = new int[length];
        global[0] = 1;
        return new EncoderInput(ids, Enumerable.Repeat(1, length).ToArray(), 1, length, null, global);
    }

    /// <summary>torch-peer's loss: mean(last_hidden_state²) + mean(pooler_output²).</summary>
    private static Tensor Loss(LongformerModel model, EncoderInput input)
    {
        var output = model.Encode(input);
        var loss = Ops.Mean(Ops.Mul(output.LastHiddenState, output.LastHiddenState));
        return output.PoolerOutput is { } pooled ? Ops.Add(loss, Ops.Mean(Ops.Mul(pooled, pooled))) : loss;
    }

    private static List<double> Repeat(int warmup, int iterations, Func<double> run)
    {
        for (var i = 0; i < warmup; i++) run();
        return Enumerable.Range(0, iterations).Select(_ => run()).ToList();
    }

    /// <summary>One forward + backward in train mode: live graph bytes after the forward, sampled peak, allocation.</summary>
    private static (long Graph, long Peak, long Allocated) MeasureMemory(LongformerModel model, EncoderInput input)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = baseline;
        var done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        sampler.Start();
        var loss = Loss(model, input);
        var graph = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        loss.Backward();
        Volatile.Write(ref done, true);
        sampler.Join();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        GC.KeepAlive(loss);
        return (graph, Math.Max(Interlocked.Read(ref peak) - baseline, graph), allocated);
    }
}
