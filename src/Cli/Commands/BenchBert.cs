using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Cli.Commands;

/// <summary>
/// <c>cogltx bench bert</c>: BertModel throughput measured as the torch peer does
/// (<c>../shared/tools/torch-peer/bench_bert.py</c>): vocab 30522, random seeded ids, all-ones mask;
/// forward in eval mode without gradient recording; a training step in train mode (dropout 0.1) with
/// loss = mean(last_hidden²) + mean(pooler²), backward, AdamW(lr 1e-4, wd 0.01) step, zero_grad.
/// Each figure is the median of 5 timed iterations after 2 warm-ups; tokens/s = batch·seq / median seconds.
/// </summary>
internal static class BenchBert
{
    private const int Warmup = 2;
    private const int Iterations = 5;

    /// <summary>torch-peer tokens/s on this machine (README, 2026-11-22, 2 threads): (size, batch) → (forward, train_step).</summary>
    private static readonly Dictionary<(string, int), (double Forward, double Train)> Peer = new()
    {
        [("mini", 1)] = (25_014, 4_236),
        [("mini", 4)] = (24_697, 4_799),
        [("small", 1)] = (7_764, 1_547),
        [("small", 4)] = (7_988, 1_665),
        [("base", 1)] = (1_270, 294),
    };

    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "mini | small | base", DefaultValueFactory = _ => "mini" };
        size.AcceptOnlyFromAmong("mini", "small", "base");
        var seq = new Option<int>("--seq") { Description = "Sequence length", DefaultValueFactory = _ => 512 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (torch-peer layout) on stdout" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var noTrain = new Option<bool>("--forward-only") { Description = "Skip the training-step measurement" };
        var command = new Command("bert", "Forward and training-step tokens/s of BertModel (mini/small/base), as torch-peer measures them");
        foreach (var o in new Option[] { size, seq, batch, json, threads, noTrain }) command.Options.Add(o);
        command.SetAction(parseResult =>
        {
            var (s, t, b) = (parseResult.GetValue(size)!, parseResult.GetValue(seq), parseResult.GetValue(batch));
            if (t < 1 || t > 512 || b < 1)
            {
                Console.Error.WriteLine($"bench bert: --seq must be in [1, 512] and --batch at least 1 (got seq {t}, batch {b})");
                return 2;
            }
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench bert: --threads must be at least 1, got {n}"); return 2; }
                Gemm.Threads = n;
            }
            var result = Run(s, t, b, train: !parseResult.GetValue(noTrain));
            if (parseResult.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            else PrintSummary(result);
            return 0;
        });
        return command;
    }

    private static Dictionary<string, object?> Run(string size, int seq, int batch, bool train)
    {
        var config = BertConfig.Preset(size);
        var model = BertModel.Create(config, seed: 0);
        var rng = new Rng(1);
        var ids = new int[batch * seq];
        for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(1000, config.VocabSize);
        var input = new EncoderInput(ids, Enumerable.Repeat(1, ids.Length).ToArray(), batch, seq, new int[ids.Length]);
        var tokens = batch * seq;
        var result = new Dictionary<string, object?>
        {
            ["model"] = "BertModel",
            ["config"] = size,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["hidden_size"] = config.HiddenSize,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["intermediate_size"] = config.IntermediateSize,
            ["batch"] = batch,
            ["seq_len"] = seq,
            ["params"] = model.Parameters().Sum(p => (long)p.Size),
            ["tokens_per_iter"] = tokens,
            ["threads"] = Gemm.Threads,
            ["gemm_backend"] = Gemm.Backend,
        };

        model.Eval();
        var forward = Time(() =>
        {
            using var _ = Autograd.NoGrad();
            model.Forward(input);
        });
        result["forward"] = Summary(forward, tokens);

        if (train)
        {
            model.Train();
            var optimizer = new AdamW(model.NamedParameters(), learningRate: 1e-4, weightDecay: 0.01);
            var split = new List<(double FwdBwd, double Step)>();
            var steps = Time(() =>
            {
                var clock = Stopwatch.StartNew();
                var output = model.Encode(input);
                var loss = Ops.Add(Ops.Mean(Ops.Mul(output.LastHiddenState, output.LastHiddenState)), Ops.Mean(Ops.Mul(output.PoolerOutput!, output.PoolerOutput!)));
                loss.Backward();
                var fwdBwd = clock.Elapsed.TotalSeconds;
                optimizer.Step();
                optimizer.ZeroGrad();
                split.Add((fwdBwd, clock.Elapsed.TotalSeconds - fwdBwd));
            });
            var timed = split.Skip(Warmup).ToList();
            var fb = Median(timed.Select(s => s.FwdBwd));
            var trainSummary = Summary(steps, tokens);
            trainSummary["fwd_bwd_median_s"] = fb;
            trainSummary["fwd_bwd_tokens_per_s"] = tokens / fb;
            trainSummary["adamw_step_median_s"] = Median(timed.Select(s => s.Step));
            result["train_step"] = trainSummary;
        }

        if (seq == 512 && Peer.TryGetValue((size, batch), out var peer))
        {
            var fwdRatio = (double)((Dictionary<string, object?>)result["forward"]!)["tokens_per_s"]! / peer.Forward;
            var peerInfo = new Dictionary<string, object?> { ["forward_tokens_per_s"] = peer.Forward, ["train_step_tokens_per_s"] = peer.Train, ["forward_ratio"] = fwdRatio };
            if (result.TryGetValue("train_step", out var ts) && ts is Dictionary<string, object?> tsd)
                peerInfo["train_step_ratio"] = (double)tsd["tokens_per_s"]! / peer.Train;
            result["torch_peer"] = peerInfo;
        }
        return result;
    }

    private static List<double> Time(Action iteration)
    {
        for (var i = 0; i < Warmup; i++) iteration();
        var times = new List<double>();
        for (var i = 0; i < Iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            iteration();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static Dictionary<string, object?> Summary(List<double> times, int tokens)
    {
        var median = Median(times);
        return new Dictionary<string, object?> { ["median_s"] = median, ["tokens_per_s"] = tokens / median, ["times_s"] = times };
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void PrintSummary(Dictionary<string, object?> r)
    {
        var fwd = (Dictionary<string, object?>)r["forward"]!;
        Console.WriteLine($"BertModel {r["config"]} batch {r["batch"]} × seq {r["seq_len"]}, {r["threads"]} thread(s), {r["gemm_backend"]}");
        Console.WriteLine($"  forward:    {(double)fwd["median_s"]!:F3} s/iter, {(double)fwd["tokens_per_s"]!:F0} tok/s");
        if (r.TryGetValue("train_step", out var ts) && ts is Dictionary<string, object?> t)
            Console.WriteLine($"  train_step: {(double)t["median_s"]!:F3} s/iter ({(double)t["fwd_bwd_median_s"]!:F3} fwd+bwd, {(double)t["adamw_step_median_s"]!:F3} AdamW), {(double)t["tokens_per_s"]!:F0} tok/s");
        if (r.TryGetValue("torch_peer", out var p) && p is Dictionary<string, object?> peer)
            Console.WriteLine($"  vs torch-peer: forward ×{(double)peer["forward_ratio"]!:F2}" +
                (peer.TryGetValue("train_step_ratio", out var tr) ? $", train_step ×{(double)tr!:F2}" : ""));
    }
}
