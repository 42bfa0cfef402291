using System.Diagnostics;
using System.Globalization;
using System.Text;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Longformer;

/// <summary>Figures of one sequence length (batch 1, global attention on token 0).</summary>
/// <param name="ForwardSeconds">Median forward, eval mode, no autograd recording (torch-peer: eval + inference_mode).</param>
/// <param name="ForwardBackwardSeconds">Median forward + backward in train mode (dropout on), the loss below.</param>
/// <param name="TrainStepSeconds">Median forward + backward + AdamW step + zero_grad (torch-peer's train_step).</param>
/// <param name="GraphBytes">Live managed bytes the autograd graph holds after the forward (activations): what must stay linear in T.</param>
/// <param name="PeakManagedBytes">Largest managed heap seen during forward + backward (sampled every millisecond), above the idle model.</param>
/// <param name="AllocatedBytes">Bytes allocated by one forward + backward.</param>
/// <param name="PeakWorkingSetBytes">Process peak working set once this length has run (monotonic over the run).</param>
public sealed record LongformerBenchPoint(int Length, double ForwardSeconds, double ForwardBackwardSeconds, double TrainStepSeconds,
    long GraphBytes, long PeakManagedBytes, long AllocatedBytes, long PeakWorkingSetBytes)
{
    /// <summary>Forward-pass throughput, tokens per second.</summary>
    public double ForwardTokensPerSecond => Length / ForwardSeconds;
    /// <summary>Training-step throughput (forward and backward), tokens per second.</summary>
    public double TrainTokensPerSecond => Length / TrainStepSeconds;
}

/// <summary>A benchmark run: the model, the GEMM backend, and one point per length.</summary>
public sealed record LongformerBenchResult(string Model, string GemmBackend, int Threads, IReadOnlyList<LongformerBenchPoint> Points)
{
    /// <summary>
    /// transformers 5.12.1 on PyTorch 2.14.1, 2 threads, same model and inputs (tools/torch-peer/README.md, 2026-11-22):
    /// tokens/s of forward and of the train step at 2048 and 4096 tokens.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, (double Forward, double Train)> TorchPeer = new Dictionary<int, (double, double)>
    {
        [2048] = (20_984, 5_325),
        [4096] = (18_495, 5_103),
    };

    /// <summary>A Markdown table of the figures, with the torch-peer ratio where the peer measured that length.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{Model}; GEMM {GemmBackend}; {Threads} threads; batch 1; global attention on token 0");
        s.AppendLine();
        s.AppendLine("| tokens | forward tok/s | train tok/s | fwd / fwd+bwd / train s | graph MiB | peak managed MiB | allocated MiB | peak working set MiB | vs torch-peer fwd / train |");
        s.AppendLine("|---:|---:|---:|---|---:|---:|---:|---:|---|");
        foreach (var p in Points)
        {
            var peer = TorchPeer.TryGetValue(p.Length, out var t) ? $"{p.ForwardTokensPerSecond / t.Forward:F2}× / {p.TrainTokensPerSecond / t.Train:F2}×" : "";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Length} | {p.ForwardTokensPerSecond:N0} | {p.TrainTokensPerSecond:N0} | {p.ForwardSeconds:F3} / {p.ForwardBackwardSeconds:F3} / {p.TrainStepSeconds:F3} | " +
                $"{Mib(p.GraphBytes)} | {Mib(p.PeakManagedBytes)} | {Mib(p.AllocatedBytes)} | {Mib(p.PeakWorkingSetBytes)} | {peer} |");
        }
        return s.ToString();
    }

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
    /// <param name="progress">Receives a line per finished measurement.</param>
    public static LongformerBenchResult Run(IReadOnlyList<int>? lengths = null, int warmup = 1, int iterations = 3, BertConfig? config = null,
        ulong seed = 1, Action<string>? progress = null)
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
            var forward = Median(warmup, iterations, () =>
            {
                using var _ = Autograd.NoGrad();
                var sw = Stopwatch.StartNew();
                model.Encode(input);
                return sw.Elapsed.TotalSeconds;
            });

            model.Train();
            var fwdBwd = new List<double>();
            var train = Median(warmup, iterations, () =>
            {
                var sw = Stopwatch.StartNew();
                Loss(model, input).Backward();
                fwdBwd.Add(sw.Elapsed.TotalSeconds);
                optimizer.Step();
                optimizer.ZeroGrad();
                return sw.Elapsed.TotalSeconds;
            });

            var (graph, peak, allocated) = MeasureMemory(model, input);
            optimizer.ZeroGrad();
            using var process = Process.GetCurrentProcess();
            var point = new LongformerBenchPoint(length, forward, fwdBwd.Skip(warmup).Order().ElementAt(iterations / 2), train,
                graph, peak, allocated, process.PeakWorkingSet64);
            points.Add(point);
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"longformer {length} tokens: forward {point.ForwardTokensPerSecond:N0} tok/s, train {point.TrainTokensPerSecond:N0} tok/s, graph {graph >> 20} MiB, peak {peak >> 20} MiB"));
        }
        var name = $"Longformer L{config.NumHiddenLayers} H{config.HiddenSize} A{config.NumAttentionHeads} I{config.IntermediateSize}, window {string.Join("/", model.Windows.Distinct())}";
        return new LongformerBenchResult(name, Gemm.Backend, ComputeOptions.Current.Threads, points);
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

    private static double Median(int warmup, int iterations, Func<double> run)
    {
        for (var i = 0; i < warmup; i++) run();
        return Enumerable.Range(0, iterations).Select(_ => run()).Order().ElementAt(iterations / 2);
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
