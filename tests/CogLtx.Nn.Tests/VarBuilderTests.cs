using CogLtx.Tensors;

namespace CogLtx.Nn.Tests;

public sealed class VarBuilderTests
{
    private static Dictionary<string, Tensor> Checkpoint() => new()
    {
        ["embeddings.weight"] = Tensor.Full(0.5f, 5, 3),
        ["encoder.dense.weight"] = Tensor.Full(2f, 2, 3),
        ["encoder.dense.bias"] = Tensor.Full(3f, 2),
        ["encoder.LayerNorm.gamma"] = Tensor.Full(4f, 2),
        ["encoder.LayerNorm.beta"] = Tensor.Full(5f, 2),
        ["pooler.dense.weight"] = Tensor.Zeros(3, 3),
        ["cls.seq_relationship.bias"] = Tensor.Zeros(2),
    };

    [Fact]
    public void Get_UnderPrefixes_LoadsCopiesNamedByTheFullKey_AndAcceptsGammaBeta()
    {
        var source = Checkpoint();
        var vb = VarBuilder.FromTensors(source, "ckpt.safetensors");
        var m = new ModuleTests.Tiny(vb);
        Assert.Equal("encoder.dense", vb.Pp("encoder").Pp("dense").Prefix);
        Assert.All(m.Dense.Weight.Data, v => Assert.Equal(2f, v));
        Assert.Equal("encoder.dense.weight", m.Dense.Weight.Name);
        Assert.All(m.Norm.Weight.Data, v => Assert.Equal(4f, v));   // from gamma
        Assert.All(m.Norm.Bias.Data, v => Assert.Equal(5f, v));     // from beta
        Assert.Equal("encoder.LayerNorm.weight", m.Norm.Weight.Name);
        m.Dense.Weight.Data[0] = -1f;
        Assert.Equal(2f, source["encoder.dense.weight"].Data[0]);
        Assert.True(vb.Pp("encoder.LayerNorm").Contains("weight"));
        Assert.False(vb.Contains("encoder.output.dense.weight"));
    }

    [Fact]
    public void UnusedKeys_ListsCheckpointKeysNoModuleAskedFor_Sorted()
    {
        var vb = VarBuilder.FromTensors(Checkpoint(), "ckpt.safetensors");
        _ = new ModuleTests.Tiny(vb);
        Assert.Equal(["cls.seq_relationship.bias", "pooler.dense.weight"], vb.UnusedKeys);
        Assert.Empty(vb.MissingKeys);
    }

    [Fact]
    public void Get_ShapeMismatch_NamesTheFullKeyExpectedAndFound()
    {
        var ckpt = Checkpoint();
        ckpt["encoder.dense.weight"] = Tensor.Zeros(3, 2);
        var e = Assert.Throws<InvalidDataException>(() => new ModuleTests.Tiny(VarBuilder.FromTensors(ckpt, "ckpt.safetensors")));
        Assert.Equal("ckpt.safetensors: encoder.dense.weight: expected [2, 3], file has [3, 2]", e.Message);
    }

    [Fact]
    public void Get_MissingKey_FailsUnlessInitIsAllowed_ThenListsIt()
    {
        var ckpt = Checkpoint();
        ckpt.Remove("encoder.dense.bias");
        var e = Assert.Throws<InvalidDataException>(() => new ModuleTests.Tiny(VarBuilder.FromTensors(ckpt, "ckpt.safetensors")));
        Assert.Equal("ckpt.safetensors: missing key encoder.dense.bias (expected shape [2])", e.Message);

        var vb = VarBuilder.FromTensors(ckpt, "ckpt.safetensors", new Rng(1), allowInit: true);
        var m = new ModuleTests.Tiny(vb);
        Assert.Equal(["encoder.dense.bias"], vb.MissingKeys);
        Assert.All(m.Dense.Bias!.Data, v => Assert.Equal(0f, v));  // Linear bias initialises to zeros
    }

    [Fact]
    public void Fresh_IsDeterministicPerSeed_WithTheInitialisersStatistics()
    {
        var a = new ModuleTests.Tiny(VarBuilder.Fresh(new Rng(11)));
        var b = new ModuleTests.Tiny(VarBuilder.Fresh(new Rng(11)));
        Assert.Equal(a.Embeddings.Weight.Data, b.Embeddings.Weight.Data);
        Assert.All(a.Norm.Weight.Data, v => Assert.Equal(1f, v));
        Assert.All(a.Norm.Bias.Data, v => Assert.Equal(0f, v));

        var big = VarBuilder.Fresh(new Rng(5)).Get("w", [200, 100], new Init.Normal(0.02f)).Data;
        var mean = big.Average();
        var std = Math.Sqrt(big.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std, 0.019, 0.021);
        Assert.InRange(mean, -0.001, 0.001);
    }

    [Fact]
    public void FromSafeTensors_LoadsAWrittenCheckpoint()
    {
        using var dir = new TempDir();
        var path = dir.File("ckpt.safetensors");
        SafeTensors.Write(path, Checkpoint());
        var vb = VarBuilder.FromSafeTensors(path);
        var m = new ModuleTests.Tiny(vb);
        Assert.All(m.Norm.Weight.Data, v => Assert.Equal(4f, v));
        var ckpt = Checkpoint();
        ckpt["encoder.dense.weight"] = Tensor.Zeros(2, 4);
        SafeTensors.Write(path, ckpt);
        var e = Assert.Throws<InvalidDataException>(() => new ModuleTests.Tiny(VarBuilder.FromSafeTensors(path)));
        Assert.Contains(path, e.Message);
        Assert.Contains("encoder.dense.weight: expected [2, 3], file has [2, 4]", e.Message);
    }
}
