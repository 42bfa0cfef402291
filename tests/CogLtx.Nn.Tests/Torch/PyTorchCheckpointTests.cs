using CogLtx.Nn.Torch;

namespace CogLtx.Nn.Tests.Torch;

public sealed class PyTorchCheckpointTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>
    /// dtypes.bin was written by real torch.save; dtypes.safetensors holds each float tensor as contiguous float32.
    /// Views (transposed, storage offset, strided column of a shared storage, stride-0 expand), float16, bfloat16,
    /// float64, a 0-d tensor and an nn.Parameter must all read back exactly.
    /// </summary>
    [Fact]
    public void Read_RealTorchFile_MatchesItsSafetensorsTwinExactly()
    {
        var bin = PyTorchCheckpoint.Read(TestPaths.Fixture("torch/dtypes.bin"));
        var twin = SafeTensors.Read(TestPaths.Fixture("torch/dtypes.safetensors"));
        Assert.Equal(twin.Names.Append("ids").Order(StringComparer.Ordinal), bin.Names);
        foreach (var name in twin.Names)
        {
            var expected = twin.GetFloat(name);
            var actual = bin.GetFloat(name);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.True(expected.Data.SequenceEqual(actual.Data), $"{name}: [{string.Join(", ", actual.Data)}] != [{string.Join(", ", expected.Data)}]");
        }
        Assert.Equal(("F16", "BF16", "F64", "I64"), (bin.Dtype("half"), bin.Dtype("bfloat"), bin.Dtype("double"), bin.Dtype("ids")));
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], bin.GetFloat("transposed").Data); // arange(6).reshape(2, 3).t()
        Assert.Contains("not a floating dtype", Assert.Throws<InvalidDataException>(() => bin.GetFloat("ids")).Message);
    }

    [Theory]
    [InlineData("little")]
    [InlineData("big")]
    public void Read_HandBuiltArchive_RebuildsContiguousAndStridedTensors(string byteOrder)
    {
        var path = dir.File("state.bin");
        TorchArchiveWriter.Write(path,
        [
            new StateTensor("dense.weight", [1, 2, 3, 4, 5, 6], [2, 3], [3, 1]),
            new StateTensor("dense.weight_t", [1, 2, 3, 4, 5, 6], [3, 2], [1, 3]),
            new StateTensor("dense.bias", [9, 8, 7, -1.5f], [2], [1], Offset: 2),
        ], byteOrder);
        var file = PyTorchCheckpoint.Read(path);
        Assert.Equal(["dense.bias", "dense.weight", "dense.weight_t"], file.Names);
        Assert.Equal([1f, 2, 3, 4, 5, 6], file.GetFloat("dense.weight").Data);
        Assert.Equal([2, 3], file.GetFloat("dense.weight").Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], file.GetFloat("dense.weight_t").Data);
        Assert.Equal([7f, -1.5f], file.GetFloat("dense.bias").Data);
    }

    /// <summary>
    /// The classic pickle exploit: GLOBAL 'os system', MARK, 'echo pwned', TUPLE, REDUCE — torch.load without
    /// weights_only would run the shell command. The reader must stop at the GLOBAL, naming it.
    /// </summary>
    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("torch", "load")]
    public void Read_PickleNamingAnotherGlobal_IsRefusedNamingIt(string module, string name)
    {
        var path = dir.File("evil.bin");
        var pickle = new PickleBytes().Proto().Global(module, name).Mark().Unicode("touch " + dir.File("pwned")).Op('t').Op('R').Op('.').ToArray();
        TorchArchiveWriter.Write(path, pickle, []);
        var e = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path));
        Assert.Contains($"global {module}.{name}", e.Message);
        Assert.Contains("refusing", e.Message);
        Assert.False(File.Exists(dir.File("pwned")));
    }

    [Fact]
    public void Read_StackGlobalOfAnotherGlobal_IsRefusedNamingIt()
    {
        var path = dir.File("evil.bin");
        // protocol 4: SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'exec', STACK_GLOBAL
        var pickle = new PickleBytes().Proto(4).Op(0x8c).Raw(8).Raw("builtins"u8.ToArray()).Op(0x8c).Raw(4).Raw("exec"u8.ToArray()).Op(0x93).Op('.').ToArray();
        TorchArchiveWriter.Write(path, pickle, []);
        Assert.Contains("global builtins.exec", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }

    [Fact]
    public void Read_OpcodeOutsideTheStateDictSubset_IsRefused()
    {
        var path = dir.File("obj.bin");
        // EMPTY_TUPLE, EMPTY_TUPLE, NEWOBJ (0x81): builds an object of a class; state dicts never do.
        TorchArchiveWriter.Write(path, new PickleBytes().Proto().Op(')').Op(')').Op(0x81).Op('.').ToArray(), []);
        var e = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path));
        Assert.Contains("opcode 0x81", e.Message);
    }

    [Fact]
    public void Read_AllowedGlobalCalledWithOtherArguments_IsRefused()
    {
        var path = dir.File("odd.bin");
        // OrderedDict('x'): an allowed global, but not the call a state dict makes.
        TorchArchiveWriter.Write(path, new PickleBytes().Proto().Global("collections", "OrderedDict").Mark().Unicode("x").Op('t').Op('R').Op('.').ToArray(), []);
        Assert.Contains("calls collections.OrderedDict with ('x')", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }

    [Fact]
    public void Read_ViewPastTheEndOfItsStorage_IsAnError()
    {
        var path = dir.File("short.bin");
        TorchArchiveWriter.Write(path, [new StateTensor("w", [1, 2, 3], [2, 2], [2, 1])]);
        Assert.Contains("reads past the end of storage 0 (3 elements)", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }

    [Fact]
    public void Read_StorageMissingFromTheArchive_NamesTheEntry()
    {
        var path = dir.File("nodata.bin");
        TorchArchiveWriter.Write(path, TorchArchiveWriter.StateDictPickle([new StateTensor("w", [1, 2], [2], [1])]), []);
        Assert.Contains("nodata/data/0 is not in the archive", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }

    [Fact]
    public void Read_LegacyNonZipFormat_IsRefusedWithAClearMessage()
    {
        var path = dir.File("legacy.bin");
        // torch.save(..., _use_new_zipfile_serialization=False) starts with PROTO 2, LONG1 of the magic number 0x1950a86a20f9469cfc6c.
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var e = Assert.Throws<NotSupportedException>(() => PyTorchCheckpoint.Read(path));
        Assert.Contains("legacy (pre-1.6, non-zip) torch.save format", e.Message);
    }

    [Fact]
    public void Read_NotACheckpoint_SaysSo()
    {
        var path = dir.File("model.bin");
        File.WriteAllText(path, "{\"not\": \"torch\"}");
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }

    [Fact]
    public void Read_NestedTrainingCheckpoint_IsNotAStateDict()
    {
        var path = dir.File("ckpt.bin");
        // {'epoch': 3}
        TorchArchiveWriter.Write(path, new PickleBytes().Proto().Op('}').Unicode("epoch").Int(3).Op('s').Op('.').ToArray(), []);
        Assert.Contains("state dict entry epoch is a 3, not a tensor", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Read(path)).Message);
    }
}
