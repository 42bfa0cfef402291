namespace CogLtx.Nn;

/// <summary>
/// The dtypes of the safetensors format (huggingface/safetensors, <c>safetensors/src/tensor.rs</c> enum
/// <c>Dtype</c>): element size in bytes and the enum's declaration order. The reference writer lays tensors
/// out in the buffer by descending dtype order, then by name, so wider types come first and every tensor
/// stays naturally aligned; <see cref="SafeTensors.Write(string, IEnumerable{SafeTensorEntry}, IReadOnlyDictionary{string, string}?)"/>
/// does the same.
/// </summary>
/// <remarks>
/// Sub-byte types (F4, F6_*) and F8_E8M0 are not listed: a file holding them is rejected as "unknown dtype"
/// rather than read with a guessed size.
/// </remarks>
internal static class SafeTensorDtypes
{
    public const string F32 = "F32";
    public const string F64 = "F64";
    public const string F16 = "F16";
    public const string BF16 = "BF16";
    public const string I64 = "I64";
    public const string I32 = "I32";

    private static readonly Dictionary<string, (int Size, int Order)> Known = new(StringComparer.Ordinal)
    {
        ["BOOL"] = (1, 0),
        ["U8"] = (1, 1),
        ["I8"] = (1, 2),
        ["F8_E5M2"] = (1, 3),
        ["F8_E4M3"] = (1, 4),
        ["I16"] = (2, 5),
        ["U16"] = (2, 6),
        ["F16"] = (2, 7),
        ["BF16"] = (2, 8),
        ["I32"] = (4, 9),
        ["U32"] = (4, 10),
        ["F32"] = (4, 11),
        ["F64"] = (8, 12),
        ["I64"] = (8, 13),
        ["U64"] = (8, 14),
    };

    public static bool IsKnown(string dtype) => Known.ContainsKey(dtype);

    public static int Size(string dtype) => Known[dtype].Size;

    /// <summary>Position in the reference enum; the writer sorts by it, descending.</summary>
    public static int Order(string dtype) => Known[dtype].Order;

    /// <summary>Floating dtypes that <see cref="SafeTensorsFile.GetFloat"/> converts to float32.</summary>
    public static bool IsConvertibleFloat(string dtype) => dtype is F32 or F64 or F16 or BF16;

    /// <summary>Integer (and boolean) dtypes that <see cref="SafeTensorsFile.GetInt64"/> converts to long.</summary>
    public static bool IsInteger(string dtype) => dtype is "BOOL" or "U8" or "I8" or "I16" or "U16" or I32 or "U32" or I64 or "U64";

    public static string KnownList => string.Join(", ", Known.Keys);
}
