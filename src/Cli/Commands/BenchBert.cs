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
    private const string ReadmeSource = "torch-peer README, 2026-11-22 (not this sitting)";

    private static readonly Dictionary<(string, int), (double Forward, double Train, string Source)> Peer = new()
    {
        [("mini", 1)] = (25_014, 4_236, ReadmeSource),
        [("mini", 4)] = (24_697, 4_799, ReadmeSource),
        [("small", 1)] = (7_764, 1_547, ReadmeSource),
        [("small", 4)] = (7_988, 1_665, ReadmeSource),
        [("base", 1)] = (1_270, 294, ReadmeSource),
    };

    /// <summary>The peer's figures for the same config, batch and length from its JSON (bench_bert.py layout), when it measured them.</summary>
    /// <exception cref="InvalidDataException">The matching run lacks a figure or holds one of the wrong type; the message names the file and field.</exception>
    private static (double Forward, double Train, string Source)? PeerFromJson(JsonElement peer, string file, string size, int batch, int seq)
    {
        if (!peer.TryGetProperty("bert", out var runs) || runs.ValueKind != JsonValueKind.Array) return null;
        foreach (var run in runs.EnumerateArray())
        {
            if (!run.TryGetProperty("config", out var c) || c.ValueKind != JsonValueKind.String || c.GetString() != size) continue;
            if (!run.TryGetProperty("batch", out var b) || b.ValueKind != JsonValueKind.Number || b.GetInt32() != batch) continue;
            if (run.TryGetProperty("seq_len", out var t) && t.ValueKind == JsonValueKind.Number && t.GetInt32() != seq) continue;
            var where = $"{file}: the bert run {size} batch {batch}";
            var forward = TokensPerSecond(run, "forward") ?? throw new InvalidDataException($"{where} has no forward.tokens_per_s number");
            var train = run.TryGetProperty("train_step", out _)
                ? TokensPerSecond(run, "train_step") ?? throw new InvalidDataException($"{where} has a train_step without a tokens_per_s number")
                : 0;
            return (forward, train, "--peer file");
        }
        return null;
    }

    private static double? TokensPerSecond(JsonElement run, string figure) =>
        run.TryGetProperty(figure, out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("tokens_per_s", out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : null;

    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "mini | minilm | small | base", DefaultValueFactory = _ => "mini" };
        size.AcceptOnlyFromAmong("mini", "minilm", "small", "base");
        var configDir = new Option<string?>("--config") { Description = "A Hugging Face model directory (or config.json) whose sizes to measure, instead of --size" };
        var repeats = new Option<int>("--repeats") { Description = "Timed iterations per figure (median and spread)", DefaultValueFactory = _ => Iterations };
        var peerFile = new Option<string?>("--peer") { Description = "The torch peer's JSON (bench_bert.py output): its figure and the ratio beside ours" };
        var seq = new Option<int>("--seq") { Description = "Sequence length", DefaultValueFactory = _ => 512 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (torch-peer layout) on stdout" };
        var threads = new Option<int?>("--threads") { Description = "Engine threads (default: env COGLTX_THREADS, else the processor count)" };
        var noTrain = new Option<bool>("--forward-only") { Description = "Skip the training-step measurement" };
        var noPool = new Option<bool>("--no-buffer-pool") { Description = "Forward calls and train steps without BufferPool scopes (fresh arrays every call, as before the pool), to measure what the pool buys" };
        var command = new Command("bert", "Forward and training-step tokens/s of BertModel (mini/minilm/small/base or --config), median and spread, beside the torch peer");
        foreach (var o in new Option[] { size, configDir, seq, batch, json, threads, noTrain, noPool, repeats, peerFile }) command.Options.Add(o);
        command.SetAction(parseResult =>
        {
            var (s, t, b) = (parseResult.GetValue(size)!, parseResult.GetValue(seq), parseResult.GetValue(batch));
            if (t < 1 || t > 512 || b < 1)
            {
                Console.Error.WriteLine($"bench bert: --seq must be in [1, 512] and --batch at least 1 (got seq {t}, batch {b})");
                return 2;
            }
            var compute = ComputeOptions.Default;
            if (parseResult.GetValue(threads) is { } n)
            {
                if (n < 1) { Console.Error.WriteLine($"bench bert: --threads must be at least 1, got {n}"); return 2; }
                compute = compute with { Threads = n };
            }
            using var computeScope = ComputeOptions.Use(compute);
            var iterations = parseResult.GetValue(repeats);
            if (iterations < 1) { Console.Error.WriteLine($"bench bert: --repeats must be at least 1, got {iterations}"); return 2; }
            BertConfig config;
            var name = s;
            try
            {
                (config, name) = parseResult.GetValue(configDir) is { } dir ? (LoadConfig(dir), Path.GetFileName(Path.TrimEndingDirectorySeparator(dir))) : (BertConfig.Preset(s), s);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException or InvalidDataException)
            {
                Console.Error.WriteLine($"bench bert: {e.Message}");
                return 2;
            }
            if (t > config.MaxLength)
            {
                Console.Error.WriteLine($"bench bert: --seq {t} is longer than the config's {config.MaxLength} positions");
                return 2;
            }
            var peer = t == 512 && Peer.TryGetValue((name, b), out var readme) ? readme : ((double, double, string)?)null;
            if (parseResult.GetValue(peerFile) is { } pf)
            {
                try
                {
                    peer = PeerFromJson(PeerJson.Read(pf), pf, name, b, t);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    Console.Error.WriteLine($"bench bert: {e.Message}");
                    return 2;
                }
            }
            var result = Run(name, config, t, b, !parseResult.GetValue(noTrain), iterations, peer, !parseResult.GetValue(noPool));
            if (parseResult.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            else PrintSummary(result);
            return 0;
        });
        return command;
    }

    private static BertConfig LoadConfig(string path)
    {
        // Only the sizes are taken: the model measured is a BertModel of that shape (RoBERTa's differs in position ids alone).
        var config = BertConfig.Load(Directory.Exists(path) ? Path.Combine(path, "config.json") : path);
        return config.ModelType == "bert" ? config : config with { ModelType = "bert", MaxPositionEmbeddings = Math.Max(512, config.MaxLength) };
    }

    private static Dictionary<string, object?> Run(string size, BertConfig config, int seq, int batch, bool train, int iterations, (double Forward, double Train, string Source)? peer, bool bufferPool)
    {
        var model = BertModel.Create(config, seed: 0);
        var rng = new Rng(1);
        var ids = new int[batch * seq];
        var low = config.VocabSize > 2000 ? 1000 : 1;   // the peer draws from [1000, vocab); small vocabularies from [1, vocab)
        for (var i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(low, config.VocabSize);
        var input = new EncoderInput(ids, Enumerable.Repeat(1, ids.Length).ToArray(), batch, seq, new int[ids.Length]);
        var tokens = batch * seq;
        var result = new Dictionary<string, object?>
        {
            ["model"] = "BertModel",
            ["config"] = size,
            ["repeats"] = iterations,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["hidden_size"] = config.HiddenSize,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["intermediate_size"] = config.IntermediateSize,
            ["batch"] = batch,
            ["seq_len"] = seq,
            ["params"] = model.Parameters().Sum(p => (long)p.Size),
            ["tokens_per_iter"] = tokens,
            ["threads"] = ComputeOptions.Current.Threads,
            ["gemm_backend"] = Gemm.Backend,
        };

        model.Eval();
        // As the library's inference calls run (Module.Inference): no recording, the call's arrays pooled for the next.
        var forward = Time(iterations, () =>
        {
            using var _ = bufferPool ? model.Inference() : Autograd.NoGrad();
            model.Forward(input);
        });
        var forwardSummary = Summary(forward, tokens);
        forwardSummary["buffer_pool"] = bufferPool;
        result["forward"] = forwardSummary;

        if (train)
        {
            model.Train();
            var optimizer = new AdamW(model.NamedParameters(), learningRate: 1e-4, weightDecay: 0.01);
            var split = new List<(double FwdBwd, double Step)>();
            // As TrainingLoop runs a micro-batch: its graph in one BufferPool scope, reused by the next step.
            var pool = bufferPool ? new BufferPool() : null;
            var steps = Time(iterations, () =>
            {
                var clock = Stopwatch.StartNew();
                using (pool?.Begin())
                {
                    var output = model.Encode(input);
                    var loss = Ops.Add(Ops.Mean(Ops.Mul(output.LastHiddenState, output.LastHiddenState)), Ops.Mean(Ops.Mul(output.PoolerOutput!, output.PoolerOutput!)));
                    loss.Backward();
                }
                var fwdBwd = clock.Elapsed.TotalSeconds;
                optimizer.Step();
                optimizer.ZeroGrad();
                split.Add((fwdBwd, clock.Elapsed.TotalSeconds - fwdBwd));
            });
            var timed = split.Skip(Warmup).ToList();
            var fb = RepeatStatistics.Median(timed.Select(s => s.FwdBwd));
            var trainSummary = Summary(steps, tokens);
            trainSummary["fwd_bwd_median_s"] = fb;
            trainSummary["fwd_bwd_tokens_per_s"] = tokens / fb;
            trainSummary["adamw_step_median_s"] = RepeatStatistics.Median(timed.Select(s => s.Step));
            trainSummary["buffer_pool"] = bufferPool;
            result["train_step"] = trainSummary;
        }

        if (peer is { } known)
        {
            var fwdRatio = (double)((Dictionary<string, object?>)result["forward"]!)["tokens_per_s"]! / known.Forward;
            var peerInfo = new Dictionary<string, object?> { ["source"] = known.Source, ["forward_tokens_per_s"] = known.Forward, ["forward_ratio"] = fwdRatio };
            if (known.Train > 0) peerInfo["train_step_tokens_per_s"] = known.Train;
            if (known.Train > 0 && result.TryGetValue("train_step", out var ts) && ts is Dictionary<string, object?> tsd)
                peerInfo["train_step_ratio"] = (double)tsd["tokens_per_s"]! / known.Train;
            result["torch_peer"] = peerInfo;
        }
        return result;
    }

    private static List<IterationCost> Time(int iterations, Action iteration)
    {
        for (var i = 0; i < Warmup; i++) iteration();
        return Enumerable.Range(0, iterations).Select(_ => IterationCost.Measure(iteration)).ToList();
    }

    private static Dictionary<string, object?> Summary(List<IterationCost> costs, int tokens)
    {
        var times = costs.Select(c => c.Seconds).ToList();
        var median = RepeatStatistics.Median(times);
        var sorted = times.Order().ToList();
        return new Dictionary<string, object?>
        {
            ["median_s"] = median,
            ["tokens_per_s"] = tokens / median,
            ["times_s"] = times,
            ["min_s"] = sorted[0],
            ["max_s"] = sorted[^1],
            ["iqr_s"] = RepeatStatistics.Quantile(sorted, 0.75) - RepeatStatistics.Quantile(sorted, 0.25),
            ["spread_pct"] = RepeatStatistics.SpreadPercent(times),
            ["gc_pause_s"] = costs.Select(c => c.GcPauseSeconds).ToList(),
            ["gen2_collections"] = costs.Select(c => c.Gen2Collections).ToList(),
            ["minor_faults"] = costs.Select(c => c.MinorFaults).ToList(),
        };
    }

    private static void PrintSummary(Dictionary<string, object?> r)
    {
        var fwd = (Dictionary<string, object?>)r["forward"]!;
        Console.WriteLine($"BertModel {r["config"]} batch {r["batch"]} × seq {r["seq_len"]}, {r["threads"]} thread(s), {r["gemm_backend"]}");
        var tokens = (int)r["tokens_per_iter"]!;
        Console.WriteLine($"  forward:    {(double)fwd["median_s"]!:F3} s/iter, {(double)fwd["tokens_per_s"]!:F0} tok/s {Spread(fwd, tokens)}");
        if (r.TryGetValue("train_step", out var ts) && ts is Dictionary<string, object?> t)
            Console.WriteLine($"  train_step: {(double)t["median_s"]!:F3} s/iter ({(double)t["fwd_bwd_median_s"]!:F3} fwd+bwd, {(double)t["adamw_step_median_s"]!:F3} AdamW), {(double)t["tokens_per_s"]!:F0} tok/s {Spread(t, tokens)}");
        if (r.TryGetValue("torch_peer", out var p) && p is Dictionary<string, object?> peer)
            Console.WriteLine($"  torch-peer ({peer["source"]}): forward {(double)peer["forward_tokens_per_s"]!:F0} tok/s, ours ×{(double)peer["forward_ratio"]!:F2}" +
                (peer.TryGetValue("train_step_ratio", out var tr) ? $"; train_step {(double)peer["train_step_tokens_per_s"]!:F0} tok/s, ours ×{(double)tr!:F2}" : ""));
    }

    /// <summary>
    /// "(range 9800–10400 tok/s, spread 6% of the median, n 5; GC paused 0.012 s, 1 gen-2, 2,300 page faults)": the range
    /// over the timed repeats and what the collector and fresh memory cost in them, summed.
    /// </summary>
    private static string Spread(Dictionary<string, object?> figure, int tokens) =>
        $"(range {tokens / (double)figure["max_s"]!:F0}–{tokens / (double)figure["min_s"]!:F0} tok/s, spread {(double)figure["spread_pct"]!:F0}% of the median, n {((List<double>)figure["times_s"]!).Count}; " +
        $"GC paused {((List<double>)figure["gc_pause_s"]!).Sum():F3} s, {((List<int>)figure["gen2_collections"]!).Sum()} gen-2, {((List<long>)figure["minor_faults"]!).Sum():N0} page faults)";
}
