using System.Buffers.Binary;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// The subset of an ONNX model (onnx/onnx.proto: ModelProto → GraphProto) needed to read a BERT export: nodes with
/// their inputs, outputs and scalar/tensor attributes, initializers, and the names of the graph's inputs and outputs.
/// Built by <see cref="OnnxReader"/>.
/// </summary>
internal sealed class OnnxGraph
{
    internal OnnxGraph(string source, List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers, List<string> inputs, List<string> outputs)
    {
        Source = source;
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The file the graph was read from, for error messages.</summary>
    public string Source { get; }

    /// <summary>The graph's nodes (GraphProto.node), in file order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Initializers by name (GraphProto.initializer).</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    /// <summary>Graph inputs that are not initializers (the model's feeds).</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Names of the graph's outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }
}

/// <summary>One NodeProto: operator, inputs, outputs, and the attributes a BERT export uses.</summary>
internal sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes);

/// <summary>One AttributeProto: a float, an int, ints, or a tensor (other kinds keep only their name).</summary>
internal sealed record OnnxAttribute(string Name, float? Float, long? Int, IReadOnlyList<long> Ints, OnnxTensor? Tensor);

/// <summary>
/// One TensorProto with its data kept as little-endian bytes (from raw_data, or re-encoded from float_data /
/// int64_data / int32_data). External data is refused by the reader.
/// </summary>
internal sealed record OnnxTensor(string Name, int DataType, long[] Dims, ReadOnlyMemory<byte> Data)
{
    /// <summary>TensorProto.DataType values this reader decodes.</summary>
    public const int Float = 1, Int32 = 6, Int64 = 7, Double = 11;

    /// <summary>Number of elements (product of the dimensions).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>The dimensions as a tensor shape.</summary>
    public int[] Shape => Dims.Select(d => checked((int)d)).ToArray();

    /// <summary>The values as float32; throws naming the tensor when it is not FLOAT.</summary>
    public float[] ToFloats(string source)
    {
        if (DataType != Float) throw new InvalidDataException($"{source}: tensor {Name} has data type {DataType}, expected FLOAT (1)");
        var values = new float[ElementCount];
        var span = Data.Span;
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(4 * i, 4));
        return values;
    }

    /// <summary>The values as int64 (INT64 or INT32 tensors).</summary>
    public long[] ToInt64s(string source)
    {
        var size = DataType switch
        {
            Int64 => 8,
            Int32 => 4,
            _ => throw new InvalidDataException($"{source}: tensor {Name} has data type {DataType}, expected INT64 (7) or INT32 (6)"),
        };
        var values = new long[ElementCount];
        var span = Data.Span;
        for (var i = 0; i < values.Length; i++)
            values[i] = size == 8 ? BinaryPrimitives.ReadInt64LittleEndian(span.Slice(8 * i, 8)) : BinaryPrimitives.ReadInt32LittleEndian(span.Slice(4 * i, 4));
        return values;
    }

    /// <summary>A scalar (or one-element) FLOAT or DOUBLE tensor as a double.</summary>
    public double ToScalar(string source)
    {
        if (ElementCount != 1) throw new InvalidDataException($"{source}: tensor {Name} has {ElementCount} elements, expected a scalar");
        return DataType switch
        {
            Float => BinaryPrimitives.ReadSingleLittleEndian(Data.Span),
            Double => BinaryPrimitives.ReadDoubleLittleEndian(Data.Span),
            _ => throw new InvalidDataException($"{source}: tensor {Name} has data type {DataType}, expected a FLOAT or DOUBLE scalar"),
        };
    }

    /// <summary>Bytes per element of a TensorProto.DataType; 0 for STRING and unknown types.</summary>
    internal static int ElementSize(int dataType) => dataType switch
    {
        2 or 3 or 9 => 1,
        4 or 5 or 10 or 16 => 2,
        1 or 6 or 12 => 4,
        7 or 11 or 13 => 8,
        _ => 0,
    };
}
