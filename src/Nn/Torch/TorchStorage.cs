namespace CogLtx.Nn.Torch;

/// <summary>
/// A storage a PyTorch checkpoint refers to by persistent id <c>('storage', torch.FloatStorage, '0', 'cpu', numel)</c>:
/// its bytes are the zip entry <c>&lt;archive&gt;/data/&lt;Key&gt;</c>.
/// </summary>
/// <param name="Key">The entry name under <c>data/</c>.</param>
/// <param name="Dtype">The element type, as a safetensors dtype string (F32, F16, BF16, F64, I64, …).</param>
/// <param name="Numel">Elements in the storage.</param>
internal sealed record TorchStorage(string Key, string Dtype, long Numel)
{
    /// <summary>Storage class name (the global <c>torch.XxxStorage</c>) → safetensors dtype.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dtypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FloatStorage"] = SafeTensorDtypes.F32,
        ["HalfStorage"] = SafeTensorDtypes.F16,
        ["BFloat16Storage"] = SafeTensorDtypes.BF16,
        ["DoubleStorage"] = SafeTensorDtypes.F64,
        ["LongStorage"] = SafeTensorDtypes.I64,
        ["IntStorage"] = SafeTensorDtypes.I32,
        ["ShortStorage"] = "I16",
        ["CharStorage"] = "I8",
        ["ByteStorage"] = "U8",
        ["BoolStorage"] = "BOOL",
    };

    public int ElementSize => SafeTensorDtypes.Size(Dtype);
}

/// <summary>
/// What <c>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)</c>
/// describes: a view of <see cref="Storage"/>. Element (i₀, i₁, …) sits at storage index
/// <c>Offset + Σ iₖ·Stride[k]</c>; a contiguous tensor has Stride[k] = Π Size[k+1..].
/// </summary>
internal sealed record TorchTensorRef(TorchStorage Storage, long Offset, int[] Size, long[] Stride)
{
    public long Count => Size.Aggregate(1L, (a, b) => a * b);

    /// <summary>The storage index one past the last element this view reads (0 for an empty tensor).</summary>
    public long End => Count == 0 ? 0 : Offset + Size.Select((s, k) => (s - 1) * Stride[k]).Sum() + 1;

    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (var k = Size.Length - 1; k >= 0; k--)
            {
                if (Size[k] != 1 && Stride[k] != expected) return false;
                expected *= Size[k];
            }
            return true;
        }
    }
}
