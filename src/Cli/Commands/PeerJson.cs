using System.Text.Json;

namespace CogLtx.Cli.Commands;

/// <summary>The torch peer's JSON (shared/tools/torch-peer/bench_bert.py), read for <c>cogltx bench bert|longformer --peer FILE</c>.</summary>
internal static class PeerJson
{
    /// <summary>The JSON object in <paramref name="path"/>; the peer's stdout may carry a UCX line before it, so parsing starts at the first '{'.</summary>
    /// <exception cref="IOException">The file cannot be read or holds no JSON object (the message names the file).</exception>
    public static JsonElement Read(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            var start = text.IndexOf('{');
            return JsonDocument.Parse(start < 0 ? text : text[start..]).RootElement.Clone();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or JsonException)
        {
            throw new IOException($"cannot read the peer's JSON {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The peer's Longformer tokens/s (forward, train step) by sequence length, from its "longformer" runs;
    /// empty when it skipped them (--skip-longformer).
    /// </summary>
    public static Dictionary<int, (double Forward, double Train)> Longformer(JsonElement peer, string path)
    {
        var figures = new Dictionary<int, (double, double)>();
        if (!peer.TryGetProperty("longformer", out var runs) || runs.ValueKind != JsonValueKind.Array) return figures;
        foreach (var run in runs.EnumerateArray())
        {
            if (!run.TryGetProperty("seq_len", out var seq) || !run.TryGetProperty("forward", out var forward))
                throw new IOException($"{path}: a \"longformer\" run lacks \"seq_len\" or \"forward\"");
            var train = run.TryGetProperty("train_step", out var ts) ? ts.GetProperty("tokens_per_s").GetDouble() : 0;
            figures[seq.GetInt32()] = (forward.GetProperty("tokens_per_s").GetDouble(), train);
        }
        return figures;
    }
}
