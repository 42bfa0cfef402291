using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void WriteThenRead_RoundTripsValuesShapesDtypesAndMetadata()
    {
        var path = dir.File("a.safetensors");
        var w = new Tensor([1f, -2.5f, 3e-8f, float.MaxValue, 0f, -0f], 2, 3);
        var b = new Tensor([7f], 1);
        var ids = new long[] { 0, -1, long.MaxValue, 42 };
        SafeTensors.Write(path,
            [SafeTensorEntry.FromTensor("layer.weight", w), SafeTensorEntry.FromTensor("layer.bias", b),
             SafeTensorEntry.FromInt64("ids", ids, [2, 2]), SafeTensorEntry.FromFloat64("lr", [1e-3 / 3], [1]),
             SafeTensorEntry.FromTensor("empty", Tensor.Zeros(0, 4))],
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "quote \" backslash \\ newline \n é" });

        var file = SafeTensors.Read(path);
        Assert.Equal(["empty", "ids", "layer.bias", "layer.weight", "lr"], file.Names);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("quote \" backslash \\ newline \n é", file.Metadata["note"]);
        Assert.Equal("I64", file.Dtype("ids"));
        Assert.Equal([2, 3], file.Shape("layer.weight"));
        var back = file.GetFloat("layer.weight");
        Assert.Equal(w.Data, back.Data);
        Assert.Equal("layer.weight", back.Name);
        Assert.Equal(ids, file.GetInt64("ids"));
        Assert.Equal(1e-3 / 3, file.GetFloat64("lr")[0]);
        Assert.Equal([0, 4], file.GetFloat("empty").Shape);
        Assert.Equal(["empty", "layer.bias", "layer.weight", "lr"], file.FloatTensors().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_TensorOverload_WritesF32AndNoMetadataWhenNoneGiven()
    {
        var path = dir.File("t.safetensors");
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = new Tensor([1f, 2f], 2) });
        var file = SafeTensors.Read(path);
        Assert.Equal("F32", file.Dtype("x"));
        Assert.Empty(file.Metadata);
        Assert.Equal([1f, 2f], file.GetFloat("x").Data);
    }

    [Fact]
    public void Write_LayoutAndHeader_AreByteIdenticalToTheReferenceWriter()
    {
        // Fixtures written by Python safetensors: data sorted by dtype (I64/F64 before F32) then name, header keys
        // sorted, compact JSON, space padding to 8. Re-writing their tensors must reproduce every byte.
        foreach (var name in new[] { "losses/cross_entropy.safetensors", "losses/bce_with_logits.safetensors", "optim/adamw.safetensors" })
        {
            var source = TestPaths.Fixture(name);
            var file = SafeTensors.Read(source);
            var copy = dir.File(Path.GetFileName(name));
            SafeTensors.Write(copy, file.Names.Select(n => new SafeTensorEntry(n, file.Dtype(n), file.Shape(n), file.GetBytes(n))), file.Metadata);
            Assert.True(File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(copy)), $"{name} differs after a rewrite");
        }
    }

    [Fact]
    public void Read_ReferenceFixture_GivesTheDocumentedValues()
    {
        var file = SafeTensors.Read(TestPaths.Fixture("optim/adamw.safetensors"));
        Assert.Equal("F64", file.Dtype("step1.lr"));
        Assert.Equal(0.0, file.GetFloat64("step1.lr")[0]);
        Assert.Equal(5e-4, file.GetFloat64("step2.lr")[0], 15);
        Assert.Equal(6.25e-4, file.GetFloat64("lr_after_last_step")[0], 15);
        Assert.Equal([4, 3], file.Shape("init.p0"));
        var ce = SafeTensors.Read(TestPaths.Fixture("losses/cross_entropy.safetensors"));
        Assert.Equal(2, ce.GetInt64("input.target").Count(t => t == -100));
    }

    [Fact]
    public void Read_F16AndBF16_ConvertToFloat32()
    {
        var halfValues = new[] { 1f, -2f, 0.5f, 65504f };  // 65504: the largest finite F16
        var half = MemoryMarshal.AsBytes(halfValues.Select(v => (Half)v).ToArray().AsSpan()).ToArray();
        // bfloat16 keeps the top 16 bits of a float32; these values are exact in it.
        var bfValues = new[] { 1f, -2f, 0.5f, 3.140625f, -1e30f };
        var bf16 = MemoryMarshal.AsBytes(bfValues.Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray().AsSpan()).ToArray();
        var path = dir.File("h.safetensors");
        SafeTensors.Write(path, [new SafeTensorEntry("h", "F16", [2, 2], half), new SafeTensorEntry("b", "BF16", [5], bf16)]);
        var file = SafeTensors.Read(path);
        Assert.Equal(halfValues, file.GetFloat("h").Data);
        var b = file.GetFloat("b").Data;
        Assert.Equal(bfValues[..4], b[..4]);
        Assert.Equal(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(-1e30f) & unchecked((int)0xFFFF0000)), b[4]);
    }

    [Fact]
    public void Read_I32_GivesInt64()
    {
        var path = dir.File("i.safetensors");
        SafeTensors.Write(path, [new SafeTensorEntry("i", "I32", [3], MemoryMarshal.AsBytes(new[] { -7, 0, int.MaxValue }.AsSpan()).ToArray())]);
        Assert.Equal([-7L, 0L, int.MaxValue], SafeTensors.Read(path).GetInt64("i"));
    }

    [Fact]
    public void Get_WrongKindOrName_FailsNamingTheTensor()
    {
        var path = dir.File("k.safetensors");
        SafeTensors.Write(path, [SafeTensorEntry.FromInt64("ids", [1, 2], [2]), SafeTensorEntry.FromTensor("encoder.weight", new Tensor([1f], 1))]);
        var file = SafeTensors.Read(path);
        Assert.Contains("ids is I64", Assert.Throws<InvalidDataException>(() => file.GetFloat("ids")).Message);
        Assert.Contains("encoder.weight is F32", Assert.Throws<InvalidDataException>(() => file.GetInt64("encoder.weight")).Message);
        var missing = Assert.Throws<KeyNotFoundException>(() => file.GetFloat("decoder.weight"));
        Assert.Contains("decoder.weight", missing.Message);
        Assert.Contains("similar: encoder.weight", missing.Message);
        Assert.DoesNotContain("ids", file.FloatTensors().Keys);
    }

    [Fact]
    public void Get_AfterTheFileWasReplaced_Fails()
    {
        var path = dir.File("r.safetensors");
        SafeTensors.Write(path, [SafeTensorEntry.FromTensor("x", new Tensor([1f], 1))]);
        var file = SafeTensors.Read(path);
        SafeTensors.Write(path, [SafeTensorEntry.FromTensor("x", new Tensor([1f, 2f, 3f], 3))]);
        Assert.Contains("changed after its header was read", Assert.Throws<InvalidDataException>(() => file.GetFloat("x")).Message);
    }

    [Fact]
    public void Write_IsAtomic_AFailedWriteLeavesTheOldFileAndNoTemporaryFiles()
    {
        var path = dir.File("ckpt.safetensors");
        SafeTensors.Write(path, [SafeTensorEntry.FromTensor("x", new Tensor([1f, 2f], 2))]);
        var good = File.ReadAllBytes(path);

        // A writer that dies while the tensors are being produced (as a crash mid-save would).
        static IEnumerable<KeyValuePair<string, Tensor>> Dying()
        {
            yield return KeyValuePair.Create("x", new Tensor([9f, 9f], 2));
            throw new IOException("disk gone");
        }
        Assert.Throws<IOException>(() => SafeTensors.Write(path, Dying()));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [new SafeTensorEntry("x", "F32", [3], new byte[8])]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [SafeTensorEntry.FromTensor("x", new Tensor([1f], 1)), SafeTensorEntry.FromTensor("x", new Tensor([1f], 1))]));

        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        SafeTensors.Write(path, [SafeTensorEntry.FromTensor("x", new Tensor([3f, 4f], 2))]);
        Assert.Equal([3f, 4f], SafeTensors.Read(path).GetFloat("x").Data);
        Assert.Equal(["ckpt.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Read_TruncatedFile_Fails()
    {
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 0, 0]);
        AssertCorrupt(path, "truncated");
    }

    [Fact]
    public void Read_HeaderLengthPastTheEnd_Fails()
    {
        AssertCorrupt(Raw("past", "{}", [], claimedHeaderLength: 1000), "runs past the end of the file");
    }

    [Fact]
    public void Read_GigabyteHeaderClaim_FailsWithoutAllocatingIt()
    {
        var path = Raw("huge", "{}", [], claimedHeaderLength: 1UL << 30);
        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertCorrupt(path, "runs past the end of the file");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a claimed header size was allocated");

        // A claim over the 100 MB limit in a (sparse) file that is long enough is refused before reading it.
        var big = Raw("big", "{}", [], claimedHeaderLength: 150_000_000);
        using (var s = new FileStream(big, FileMode.Open)) s.SetLength(200_000_000);
        before = GC.GetAllocatedBytesForCurrentThread();
        AssertCorrupt(big, "exceeds the 100000000-byte limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a claimed header size was allocated");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", "not valid JSON")]
    [InlineData("""[1,2]""", "does not start with '{'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "appears twice")]
    [InlineData("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "__metadata__.k must be a string")]
    [InlineData("""{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", "unknown dtype F33")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "needs 12 bytes, data_offsets [0, 8] give 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "negative dimension -2")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2147483647,2147483647,4],"data_offsets":[0,8]}}""", "more bytes than the whole data buffer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "leaving bytes [0, 4) of the buffer unused")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "the tensors cover 4 bytes but the data buffer has 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "overlap tensor a")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "run past the data buffer of 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "end before they begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}}""", "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", "missing data_offsets")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}""", "unexpected field extra")]
    public void Read_CorruptHeader_FailsNamingTheProblem(string header, string problem)
    {
        AssertCorrupt(Raw("bad", header, new byte[8]), problem);
    }

    [SharedFixturesFact]
    public void Read_EverySharedFixtureFile_LoadsWithFiniteValues()
    {
        var files = Directory.GetFiles(TestPaths.SharedFixtures, "*.safetensors", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(Path.Combine("bert-tiny", "model.safetensors"), StringComparison.Ordinal));
        foreach (var path in files)
        {
            var file = SafeTensors.Read(path);
            Assert.NotEmpty(file.Names);
            foreach (var (name, t) in file.FloatTensors())
                Assert.True(name == "mean_all_ignored.loss" || t.Data.All(float.IsFinite), $"{path}: {name} has non-finite values");
            foreach (var name in file.Names.Where(n => file.Dtype(n) == "I64"))
                Assert.Equal(Shapes.Size(file.Shape(name)), file.GetInt64(name).Length);
        }
        var bert = SafeTensors.Read(Path.Combine(TestPaths.SharedFixtures, "models", "bert-tiny", "model.safetensors"));
        Assert.Equal([1000, 32], bert.Shape("embeddings.word_embeddings.weight"));
        Assert.Equal([32, 32], bert.Shape("encoder.layer.1.attention.self.query.weight"));
    }

    private static void AssertCorrupt(string path, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.Contains(problem, e.Message);
    }

    /// <summary>A hand-made file: length prefix (the real one unless overridden), header bytes, data.</summary>
    private string Raw(string name, string header, byte[] data, ulong? claimedHeaderLength = null)
    {
        var path = dir.File(name + ".safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedHeaderLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
