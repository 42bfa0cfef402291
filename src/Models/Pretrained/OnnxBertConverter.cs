using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CogLtx.Nn;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// Converts an ONNX BERT export plus its vocab.txt into a Hugging Face BertModel directory: <c>config.json</c>,
/// <c>model.safetensors</c>, <c>vocab.txt</c> (LF line ends), <c>tokenizer_config.json</c> (lower case, max length
/// 512) and <c>conversion.json</c> (where it came from). Everything is written into a hidden temporary sibling of the
/// destination, which is renamed into place only when complete, so a failed or interrupted conversion never leaves
/// a directory under the destination's name.
/// </summary>
internal static class OnnxBertConverter
{
    /// <summary>The provenance file written beside the weights.</summary>
    public const string ProvenanceFile = "conversion.json";

    /// <summary>What a conversion produced.</summary>
    public sealed record Report(string Directory, BertConfig Config, bool HasPooler, int TensorCount, long Parameters, TimeSpan Elapsed);

    /// <summary>
    /// Converts <paramref name="onnx"/> (named <paramref name="onnxSource"/> in errors) and <paramref name="vocabText"/>
    /// into <paramref name="destination"/>, which must not exist yet. <paramref name="provenance"/> is recorded in
    /// conversion.json together with the SHA-256 of the ONNX bytes.
    /// </summary>
    public static Report Convert(ReadOnlyMemory<byte> onnx, string onnxSource, string vocabText, string destination,
        IReadOnlyDictionary<string, string>? provenance = null, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var dest = Path.GetFullPath(destination);
        if (Directory.Exists(dest) || File.Exists(dest)) throw new IOException($"{dest} already exists; a conversion writes only into a new directory");
        progress?.Invoke($"reading {onnxSource}");
        var imported = OnnxBertImporter.Import(OnnxReader.Parse(onnx, onnxSource));
        var vocab = VocabLines(vocabText, onnxSource);
        if (vocab.Count != imported.Config.VocabSize)
            throw new InvalidDataException($"{onnxSource}: the vocabulary has {vocab.Count} tokens but word_embeddings has {imported.Config.VocabSize} rows");

        var parent = Path.GetDirectoryName(dest)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(dest)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(temp);
            progress?.Invoke($"writing {imported.Tensors.Count} tensors");
            SafeTensors.Write(Path.Combine(temp, ModelLoader.WeightsFile), imported.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal),
                new Dictionary<string, string> { ["format"] = "pt" });
            imported.Config.Save(Path.Combine(temp, ModelLoader.ConfigFile), "BertModel");
            File.WriteAllText(Path.Combine(temp, "vocab.txt"), string.Join("\n", vocab) + "\n", new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(temp, "tokenizer_config.json"), TokenizerConfig(imported.Config.MaxPositionEmbeddings));
            File.WriteAllText(Path.Combine(temp, ProvenanceFile), Provenance(onnx, onnxSource, provenance));
            Directory.Move(temp, dest);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        var parameters = imported.Tensors.Values.Sum(t => (long)t.Size);
        return new Report(dest, imported.Config, imported.HasPooler, imported.Tensors.Count, parameters, clock.Elapsed);
    }

    /// <summary>One token per line; CRLF or LF; a final empty line is dropped. Tokens keep their exact text.</summary>
    internal static List<string> VocabLines(string text, string source)
    {
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) throw new InvalidDataException($"{source}: the vocabulary is empty");
        return lines;
    }

    /// <summary>bert-base-uncased's tokenizer settings (transformers <c>BertTokenizer</c>).</summary>
    private static string TokenizerConfig(int maxLength) => new JsonObject
    {
        ["tokenizer_class"] = "BertTokenizer",
        ["do_lower_case"] = true,
        ["tokenize_chinese_chars"] = true,
        ["strip_accents"] = null,
        ["model_max_length"] = Math.Min(maxLength, 512),
        ["cls_token"] = "[CLS]",
        ["sep_token"] = "[SEP]",
        ["pad_token"] = "[PAD]",
        ["unk_token"] = "[UNK]",
        ["mask_token"] = "[MASK]",
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static string Provenance(ReadOnlyMemory<byte> onnx, string source, IReadOnlyDictionary<string, string>? extra)
    {
        var json = new JsonObject
        {
            ["source"] = source,
            ["onnx_sha256"] = System.Convert.ToHexStringLower(SHA256.HashData(onnx.Span)),
            ["onnx_bytes"] = onnx.Length,
            ["converter"] = "CogLtx.Models.Pretrained.OnnxBertConverter",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) json[k] = v;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
