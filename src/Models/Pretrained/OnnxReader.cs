using System.Buffers.Binary;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// Reads the ONNX subset of <see cref="OnnxGraph"/> from the protobuf bytes of a ModelProto (field numbers of
/// onnx/onnx.proto). Fields it does not need are skipped; tensors with external data (data_location = EXTERNAL) are
/// refused, since a model that arrives as one NuGet resource has nowhere to keep them. Errors name the file, the
/// message path and the byte offset.
/// </summary>
internal static class OnnxReader
{
    // ModelProto
    private const int ModelGraph = 7;
    // GraphProto
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphSparseInitializer = 15;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto
    private const int AttrName = 1, AttrF = 2, AttrI = 3, AttrT = 5, AttrInts = 8;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorSegment = 3, TensorFloatData = 4, TensorInt32Data = 5,
        TensorInt64Data = 7, TensorName = 8, TensorRawData = 9, TensorDoubleData = 10, TensorExternalData = 13, TensorDataLocation = 14;
    // ValueInfoProto
    private const int ValueInfoName = 1;

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static OnnxGraph Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"ONNX file not found: {full}", full);
        return Parse(File.ReadAllBytes(full), full);
    }

    /// <summary>Parses ModelProto bytes; <paramref name="source"/> names them in errors.</summary>
    public static OnnxGraph Parse(ReadOnlyMemory<byte> bytes, string source)
    {
        if (bytes.Length == 0) throw new InvalidDataException($"{source}: the ONNX file is empty");
        var model = new ProtoReader(bytes, $"{source}: ModelProto");
        OnnxGraph? graph = null;
        while (model.Next(out var field, out var wire))
        {
            if (field == ModelGraph)
            {
                model.Expect(wire, ProtoReader.LengthDelimited, "ModelProto.graph");
                graph = ReadGraph(model.ReadMessage("graph"), source);
            }
            else model.Skip(field, wire);
        }
        return graph ?? throw new InvalidDataException($"{source}: not an ONNX model: ModelProto has no graph (field 7)");
    }

    private static OnnxGraph ReadGraph(ProtoReader r, string source)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<string>();
        var outputs = new List<string>();
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case GraphNode:
                    r.Expect(wire, ProtoReader.LengthDelimited, "GraphProto.node");
                    nodes.Add(ReadNode(r.ReadMessage($"node[{nodes.Count}]"), source));
                    break;
                case GraphInitializer:
                    r.Expect(wire, ProtoReader.LengthDelimited, "GraphProto.initializer");
                    var tensor = ReadTensor(r.ReadMessage($"initializer[{initializers.Count}]"), source);
                    if (!initializers.TryAdd(tensor.Name, tensor)) throw new InvalidDataException($"{source}: initializer {tensor.Name} appears twice");
                    break;
                case GraphSparseInitializer:
                    throw new InvalidDataException($"{source}: the graph has sparse initializers, which this reader does not support");
                case GraphInput or GraphOutput:
                    r.Expect(wire, ProtoReader.LengthDelimited, "GraphProto.input/output");
                    var name = ReadValueInfoName(r.ReadMessage(field == GraphInput ? "input" : "output"));
                    (field == GraphInput ? inputs : outputs).Add(name);
                    break;
                default:
                    r.Skip(field, wire);
                    break;
            }
        }
        inputs.RemoveAll(initializers.ContainsKey);
        return new OnnxGraph(source, nodes, initializers, inputs, outputs);
    }

    private static string ReadValueInfoName(ProtoReader r)
    {
        var name = "";
        while (r.Next(out var field, out var wire))
        {
            if (field == ValueInfoName && wire == ProtoReader.LengthDelimited) name = r.ReadString("ValueInfoProto.name");
            else r.Skip(field, wire);
        }
        return name;
    }

    private static OnnxNode ReadNode(ProtoReader r, string source)
    {
        string name = "", opType = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case NodeInput: r.Expect(wire, ProtoReader.LengthDelimited, "NodeProto.input"); inputs.Add(r.ReadString("NodeProto.input")); break;
                case NodeOutput: r.Expect(wire, ProtoReader.LengthDelimited, "NodeProto.output"); outputs.Add(r.ReadString("NodeProto.output")); break;
                case NodeName: r.Expect(wire, ProtoReader.LengthDelimited, "NodeProto.name"); name = r.ReadString("NodeProto.name"); break;
                case NodeOpType: r.Expect(wire, ProtoReader.LengthDelimited, "NodeProto.op_type"); opType = r.ReadString("NodeProto.op_type"); break;
                case NodeAttribute:
                    r.Expect(wire, ProtoReader.LengthDelimited, "NodeProto.attribute");
                    var attribute = ReadAttribute(r.ReadMessage("attribute"), source);
                    attributes[attribute.Name] = attribute;
                    break;
                default: r.Skip(field, wire); break;
            }
        }
        if (opType.Length == 0) throw new InvalidDataException($"{source}: node \"{name}\" has no op_type");
        return new OnnxNode(name, opType, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ProtoReader r, string source)
    {
        var name = "";
        float? f = null;
        long? i = null;
        var ints = new List<long>();
        OnnxTensor? tensor = null;
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case AttrName: r.Expect(wire, ProtoReader.LengthDelimited, "AttributeProto.name"); name = r.ReadString("AttributeProto.name"); break;
                case AttrF: r.Expect(wire, ProtoReader.Fixed32, "AttributeProto.f"); f = r.ReadFloat("AttributeProto.f"); break;
                case AttrI: r.Expect(wire, ProtoReader.Varint, "AttributeProto.i"); i = r.ReadInt64("AttributeProto.i"); break;
                case AttrT: r.Expect(wire, ProtoReader.LengthDelimited, "AttributeProto.t"); tensor = ReadTensor(r.ReadMessage("t"), source); break;
                case AttrInts: r.ReadInt64s(wire, ints, "AttributeProto.ints"); break;
                default: r.Skip(field, wire); break;
            }
        }
        return new OnnxAttribute(name, f, i, ints, tensor);
    }

    private static OnnxTensor ReadTensor(ProtoReader r, string source)
    {
        var name = "";
        var dataType = 0;
        var dims = new List<long>();
        ReadOnlyMemory<byte>? raw = null;
        var floats = new List<float>();
        var longs = new List<long>();
        var doubles = new List<double>();
        var external = false;
        while (r.Next(out var field, out var wire))
        {
            switch (field)
            {
                case TensorDims: r.ReadInt64s(wire, dims, "TensorProto.dims"); break;
                case TensorDataType: r.Expect(wire, ProtoReader.Varint, "TensorProto.data_type"); dataType = r.ReadInt32("TensorProto.data_type"); break;
                case TensorName: r.Expect(wire, ProtoReader.LengthDelimited, "TensorProto.name"); name = r.ReadString("TensorProto.name"); break;
                case TensorRawData: r.Expect(wire, ProtoReader.LengthDelimited, "TensorProto.raw_data"); raw = r.ReadBytes("TensorProto.raw_data"); break;
                case TensorFloatData: r.ReadFloats(wire, floats, "TensorProto.float_data"); break;
                case TensorInt32Data or TensorInt64Data: r.ReadInt64s(wire, longs, "TensorProto.int64_data/int32_data"); break;
                case TensorDoubleData: ReadDoubles(ref r, wire, doubles); break;
                case TensorExternalData: external = true; r.Skip(field, wire); break;
                case TensorDataLocation: r.Expect(wire, ProtoReader.Varint, "TensorProto.data_location"); external |= r.ReadInt32("TensorProto.data_location") == 1; break;
                case TensorSegment: throw new InvalidDataException($"{source}: tensor {name} is segmented, which this reader does not support");
                default: r.Skip(field, wire); break;
            }
        }
        if (external)
            throw new InvalidDataException(
                $"{source}: tensor \"{name}\" keeps its data in an external file (data_location EXTERNAL); only self-contained ONNX files are supported");
        if (dims.Any(d => d < 0)) throw new InvalidDataException($"{source}: tensor {name} has a negative dimension [{string.Join(", ", dims)}]");
        var count = dims.Aggregate(1L, (a, d) => a * d);
        var data = raw ?? Encode(dataType, floats, longs, doubles, name, source);
        var size = OnnxTensor.ElementSize(dataType);
        if (size == 0) throw new InvalidDataException($"{source}: tensor {name} has unsupported data type {dataType}");
        if (data.Length != count * size)
            throw new InvalidDataException(
                $"{source}: tensor {name} of shape [{string.Join(", ", dims)}] and data type {dataType} needs {count * size} bytes, found {data.Length}");
        return new OnnxTensor(name, dataType, dims.ToArray(), data);
    }

    private static void ReadDoubles(ref ProtoReader r, int wire, List<double> into)
    {
        if (wire == ProtoReader.Fixed64)
        {
            into.Add(r.ReadDouble("TensorProto.double_data"));
            return;
        }
        r.Expect(wire, ProtoReader.LengthDelimited, "TensorProto.double_data");
        var packed = r.ReadMessage("double_data");
        while (!packed.AtEnd) into.Add(packed.ReadDouble("TensorProto.double_data"));
    }

    /// <summary>Re-encodes typed data fields (float_data, int32_data, int64_data, double_data) as little-endian bytes.</summary>
    private static byte[] Encode(int dataType, List<float> floats, List<long> longs, List<double> doubles, string name, string source)
    {
        switch (dataType)
        {
            case OnnxTensor.Float:
                var f = new byte[floats.Count * 4];
                for (var i = 0; i < floats.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(f.AsSpan(4 * i), floats[i]);
                return f;
            case OnnxTensor.Int64:
                var l = new byte[longs.Count * 8];
                for (var i = 0; i < longs.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(l.AsSpan(8 * i), longs[i]);
                return l;
            case OnnxTensor.Int32:
                var n = new byte[longs.Count * 4];
                for (var i = 0; i < longs.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(n.AsSpan(4 * i), (int)longs[i]);
                return n;
            case OnnxTensor.Double:
                var d = new byte[doubles.Count * 8];
                for (var i = 0; i < doubles.Count; i++) BinaryPrimitives.WriteDoubleLittleEndian(d.AsSpan(8 * i), doubles[i]);
                return d;
            default:
                if (floats.Count + longs.Count + doubles.Count == 0) return [];
                throw new InvalidDataException($"{source}: tensor {name} has data type {dataType} in a typed field; only raw_data is read for that type");
        }
    }
}
