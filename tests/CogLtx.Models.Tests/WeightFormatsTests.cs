using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>
/// Checkpoint directories in every layout transformers writes: model.safetensors, pytorch_model.bin (tests/fixtures/torch,
/// written by real torch.save from bert-tiny) and the sharded *.index.json of both.
/// </summary>
public sealed class WeightFormatsTests
{
    private static string TorchFixture(string name) => Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "torch", name);

    [Fact]
    public void Load_PytorchBinOnly_ComputesWhatItsSafetensorsTwinComputes()
    {
        var (model, report) = ModelLoader.Load<BertModel>(TorchFixture("bert-tiny-bin"));
        Assert.True(report.IsExact, report.ToString());
        Assert.Equal([Path.Combine(TorchFixture("bert-tiny-bin"), "pytorch_model.bin")], report.WeightsFiles);
        var expected = Fixtures.Expected("bert-tiny");
        model.Eval();
        using var _ = Autograd.NoGrad();
        var output = model.Encode(Fixtures.Input(expected));
        Fixtures.AssertClose(output.LastHiddenState, expected.GetFloat("out.last_hidden_state"), "last_hidden_state from pytorch_model.bin");
        Fixtures.AssertClose(output.PoolerOutput!, expected.GetFloat("out.pooler_output"), "pooler_output from pytorch_model.bin");
        AssertSameTensors(Fixtures.ModelDir("bert-tiny"), TorchFixture("bert-tiny-bin"));
    }

    [Fact]
    public void ReadWeights_ShardedPytorchBin_ReadsEveryShard()
    {
        var (_, files, _) = ModelLoader.ReadWeights(TorchFixture("bert-tiny-bin-sharded"));
        Assert.Equal(["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"], files.Select(Path.GetFileName));
        AssertSameTensors(Fixtures.ModelDir("bert-tiny"), TorchFixture("bert-tiny-bin-sharded"));
        Assert.True(ModelLoader.Load<BertModel>(TorchFixture("bert-tiny-bin-sharded")).Report.IsExact);
    }

    [Fact]
    public void ReadWeights_ShardedSafetensors_ReadsEveryShard()
    {
        using var dir = ShardedSafetensorsCopy();
        var (_, files, _) = ModelLoader.ReadWeights(dir.Path);
        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], files.Select(Path.GetFileName));
        AssertSameTensors(Fixtures.ModelDir("bert-tiny"), dir.Path);
    }

    [Fact]
    public void ReadWeights_MissingSafetensorsShard_NamesTheFile()
    {
        using var dir = ShardedSafetensorsCopy();
        File.Delete(dir.File("model-00002-of-00002.safetensors"));
        var e = Assert.Throws<FileNotFoundException>(() => ModelLoader.ReadWeights(dir.Path));
        Assert.Contains("names shard model-00002-of-00002.safetensors, which is not in", e.Message);
    }

    [Fact]
    public void ReadWeights_MissingBinShard_NamesTheFile()
    {
        using var dir = new TempDir();
        foreach (var file in new[] { "config.json", "pytorch_model.bin.index.json", "pytorch_model-00002-of-00002.bin" })
            File.Copy(Path.Combine(TorchFixture("bert-tiny-bin-sharded"), file), dir.File(file));
        var e = Assert.Throws<FileNotFoundException>(() => ModelLoader.ReadWeights(dir.Path));
        Assert.Contains("pytorch_model.bin.index.json: names shard pytorch_model-00001-of-00002.bin, which is not in", e.Message);
    }

    [Fact]
    public void ReadWeights_SafetensorsAndBin_PrefersSafetensors()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.WriteAllText(dir.File("pytorch_model.bin"), "not read");
        Assert.Equal([dir.File("model.safetensors")], ModelLoader.ReadWeights(dir.Path).Files);
    }

    [Fact]
    public void Load_BinThatIsNotATorchArchive_IsAnErrorNamingTheFile()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.Move(dir.File("model.safetensors"), dir.File("pytorch_model.bin"));
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(dir.Path));
        Assert.Contains($"{dir.File("pytorch_model.bin")}: not a PyTorch checkpoint", e.Message);
    }

    [Fact]
    public void Load_TensorFlowOnly_AsksToConvert()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.Move(dir.File("model.safetensors"), dir.File("tf_model.h5"));
        var e = Assert.Throws<NotSupportedException>(() => BertModel.Load(dir.Path));
        Assert.Contains("tf_model.h5", e.Message);
        Assert.Contains("convert to safetensors", e.Message);
    }

    [Fact]
    public void Load_NoWeightsAtAll_ListsWhatItLookedFor()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.Delete(dir.File("model.safetensors"));
        var e = Assert.Throws<FileNotFoundException>(() => BertModel.Load(dir.Path));
        Assert.Contains("model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json", e.Message);
    }

    /// <summary>bert-tiny split as save_pretrained(max_shard_size=…) splits it: embeddings + layer 0, then the rest.</summary>
    private static TempDir ShardedSafetensorsCopy()
    {
        var dir = new TempDir();
        File.Copy(Path.Combine(Fixtures.ModelDir("bert-tiny"), "config.json"), dir.File("config.json"));
        var tensors = SafeTensors.Read(Path.Combine(Fixtures.ModelDir("bert-tiny"), "model.safetensors")).FloatTensors();
        var first = tensors.Keys.Where(k => k.StartsWith("embeddings.", StringComparison.Ordinal) || k.StartsWith("encoder.layer.0.", StringComparison.Ordinal)).ToHashSet();
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (shard, inShard) in new[] { ("model-00001-of-00002.safetensors", true), ("model-00002-of-00002.safetensors", false) })
        {
            var part = tensors.Where(kv => first.Contains(kv.Key) == inShard).ToList();
            SafeTensors.Write(dir.File(shard), part, new Dictionary<string, string> { ["format"] = "pt" });
            foreach (var (key, _) in part) map[key] = shard;
        }
        File.WriteAllText(dir.File("model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));
        return dir;
    }

    private static void AssertSameTensors(string expectedDir, string actualDir)
    {
        var expected = ModelLoader.ReadWeights(expectedDir).Tensors;
        var actual = ModelLoader.ReadWeights(actualDir).Tensors;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected)
        {
            Assert.Equal(tensor.Shape, actual[key].Shape);
            Assert.True(tensor.Data.SequenceEqual(actual[key].Data), $"{key} differs between {expectedDir} and {actualDir}");
        }
    }
}
