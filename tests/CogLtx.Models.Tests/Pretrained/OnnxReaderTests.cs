using CogLtx.Models.Pretrained;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>The ONNX protobuf reader on hand-built ModelProtos and on damaged copies of a real export.</summary>
public sealed class OnnxReaderTests
{
    private static ProtoWriter Tensor(string name, long[] dims, Action<ProtoWriter> data)
    {
        var t = new ProtoWriter();
        foreach (var d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 1).String(8, name);
        data(t);
        return t;
    }

    private static byte[] Model(params ProtoWriter[] initializers)
    {
        var node = new ProtoWriter().String(1, "x").String(1, "w").String(2, "y").String(3, "mm").String(4, "MatMul")
            .Message(5, new ProtoWriter().String(1, "alpha").Fixed32(2, 0.5f));
        var graph = new ProtoWriter().Message(1, node);
        foreach (var init in initializers) graph.Message(5, init);
        graph.Message(11, new ProtoWriter().String(1, "x")).Message(11, new ProtoWriter().String(1, "w")).Message(12, new ProtoWriter().String(1, "y"));
        return new ProtoWriter().Varint(1, 8).String(2, "test").Message(7, graph).ToArray();
    }

    [Fact]
    public void Reads_nodes_attributes_inputs_and_raw_and_float_data()
    {
        var raw = Tensor("w", [2, 2], t => t.Bytes(9, new[] { 1f, 2f, 3f, 4f }.SelectMany(BitConverter.GetBytes).ToArray()));
        var packed = Tensor("v", [3], t => t.Bytes(4, new[] { 5f, 6f, 7f }.SelectMany(BitConverter.GetBytes).ToArray()));
        var unpacked = Tensor("u", [2], t => t.Fixed32(4, 8f).Fixed32(4, 9f));
        var graph = OnnxReader.Parse(Model(raw, packed, unpacked), "model.onnx");

        var node = Assert.Single(graph.Nodes);
        Assert.Equal(("MatMul", "mm"), (node.OpType, node.Name));
        Assert.Equal(["x", "w"], node.Inputs);
        Assert.Equal(0.5f, node.Attributes["alpha"].Float);
        Assert.Equal(["x"], graph.Inputs);
        Assert.Equal(["y"], graph.Outputs);
        Assert.Equal([1f, 2f, 3f, 4f], graph.Initializers["w"].ToFloats("m"));
        Assert.Equal([2L, 2L], graph.Initializers["w"].Dims);
        Assert.Equal([5f, 6f, 7f], graph.Initializers["v"].ToFloats("m"));
        Assert.Equal([8f, 9f], graph.Initializers["u"].ToFloats("m"));
    }

    [Fact]
    public void External_data_is_refused_naming_the_tensor()
    {
        var external = Tensor("big", [2], t => t.Message(13, new ProtoWriter().String(1, "location").String(2, "weights.bin")).Varint(14, 1));
        var e = Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(Model(external), "ext.onnx"));
        Assert.Contains("ext.onnx", e.Message);
        Assert.Contains("\"big\"", e.Message);
        Assert.Contains("external", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Data_that_disagrees_with_the_shape_names_tensor_and_sizes()
    {
        var shortData = Tensor("w", [2, 2], t => t.Bytes(9, new byte[12]));
        var e = Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(Model(shortData), "m.onnx"));
        Assert.Contains("w", e.Message);
        Assert.Contains("needs 16 bytes, found 12", e.Message);
    }

    [Fact]
    public void Truncated_real_export_names_the_file_and_the_cut()
    {
        var onnx = PretrainedPackages.OnnxBytes(PretrainedModels.Find("minilm")!);
        var e = Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(onnx.AsMemory(0, onnx.Length / 2), "cut.onnx"));
        Assert.Contains("cut.onnx", e.Message);
        Assert.Contains("remain", e.Message);
    }

    [Fact]
    public void Garbage_and_empty_files_are_not_models()
    {
        var rng = new Random(7);
        var garbage = new byte[4096];
        rng.NextBytes(garbage);
        var e = Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(garbage, "noise.onnx"));
        Assert.StartsWith("noise.onnx", e.Message);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(Array.Empty<byte>(), "empty.onnx")).Message);
        var text = System.Text.Encoding.UTF8.GetBytes("not a model, just text\n");
        Assert.StartsWith("text.onnx", Assert.Throws<InvalidDataException>(() => OnnxReader.Parse(text, "text.onnx")).Message);
    }

    [Fact]
    public void Read_of_a_missing_file_names_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "cogltx-no-such-" + Guid.NewGuid().ToString("N") + ".onnx");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => OnnxReader.Read(path)).Message);
    }
}
