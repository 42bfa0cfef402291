using CogLtx.Nn;

namespace CogLtx.Models.Tests;

public sealed class EncodeRunnerTests
{
    [Theory]
    [InlineData("bert-tiny", "last_hidden_state,pooler_output")]
    [InlineData("roberta-tiny-qa", "end_logits,start_logits")]
    [InlineData("bert-tiny-cls", "logits")]
    public void Run_WritesHuggingFaceOutputs(string fixture, string names)
    {
        using var dir = new TempDir();
        // The fixture's expected file doubles as input: its ids live under "input.*".
        var expectedPath = Path.Combine(Fixtures.ModelDir(fixture), "expected.safetensors");
        EncodeRunner.Run(Fixtures.ModelDir(fixture), expectedPath, dir.File("out.safetensors"));
        var output = SafeTensors.Read(dir.File("out.safetensors"));
        Assert.Equal(names.Split(','), output.Names);
        var expected = Fixtures.Expected(fixture);
        foreach (var name in output.Names)
            Fixtures.AssertClose(output.GetFloat(name), expected.GetFloat("out." + name), name);
    }

    [Fact]
    public void Run_CheckpointWithoutItsHead_FailsNamingTheKeys_UnlessBaseOnly()
    {
        // bert-tiny's weights (a BertModel) under a config that names BertForSequenceClassification: the head is missing.
        using var dir = new TempDir();
        var model = dir.File("model");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(Fixtures.ModelDir("bert-tiny"), ModelLoader.WeightsFile), Path.Combine(model, ModelLoader.WeightsFile));
        ModelLoader.ReadConfig(Fixtures.ModelDir("bert-tiny")).Save(Path.Combine(model, ModelLoader.ConfigFile), "BertForSequenceClassification");
        var inputPath = Path.Combine(Fixtures.ModelDir("bert-tiny"), "expected.safetensors");

        var e = Assert.Throws<InvalidDataException>(() => EncodeRunner.Run(model, inputPath, dir.File("out.safetensors")));
        Assert.Contains("BertForSequenceClassification", e.Message);
        Assert.Contains("classifier.bias, classifier.weight", e.Message);
        Assert.Contains("--base-only", e.Message);
        Assert.False(File.Exists(dir.File("out.safetensors")));

        var (outputs, _) = EncodeRunner.Run(model, inputPath, dir.File("out.safetensors"), baseOnly: true);
        Assert.Equal(["last_hidden_state", "pooler_output"], outputs.Keys.Order(StringComparer.Ordinal));
        var expected = Fixtures.Expected("bert-tiny");
        foreach (var (name, value) in outputs) Fixtures.AssertClose(value, expected.GetFloat("out." + name), name);
    }

    [Fact]
    public void Run_BaseOnly_OnAHeadCheckpointWithoutPooler_WritesLastHiddenStateOnly()
    {
        using var dir = new TempDir();
        var fixture = Fixtures.ModelDir("bert-tiny-qa");
        var (outputs, _) = EncodeRunner.Run(fixture, Path.Combine(fixture, "expected.safetensors"), dir.File("out.safetensors"), baseOnly: true);
        Assert.Equal(["last_hidden_state"], outputs.Keys);
        Assert.Equal(["last_hidden_state"], SafeTensors.Read(dir.File("out.safetensors")).Names);
    }

    [Fact]
    public void ReadInput_PlainNames_DefaultMaskOfOnes()
    {
        using var dir = new TempDir();
        SafeTensors.Write(dir.File("in.safetensors"), [SafeTensorEntry.FromInt64("input_ids", [2, 5, 3], [3])]);
        var input = EncodeRunner.ReadInput(dir.File("in.safetensors"));
        Assert.Equal((1, 3), (input.Batch, input.Length));
        Assert.Equal([1, 1, 1], input.AttentionMask);
        Assert.Null(input.TokenTypeIds);
    }

    [Fact]
    public void ReadInput_MaskShapeDisagrees_NamesBothTensors()
    {
        using var dir = new TempDir();
        SafeTensors.Write(dir.File("in.safetensors"),
        [
            SafeTensorEntry.FromInt64("input_ids", [2, 5, 3, 2, 6, 3], [2, 3]),
            SafeTensorEntry.FromInt64("attention_mask", [1, 1, 1, 1], [2, 2]),
        ]);
        var e = Assert.Throws<InvalidDataException>(() => EncodeRunner.ReadInput(dir.File("in.safetensors")));
        Assert.Contains("attention_mask has shape [2, 2], input_ids has [2, 3]", e.Message);
    }

    [Fact]
    public void ReadInput_NoIds_ListsWhatIsThere()
    {
        using var dir = new TempDir();
        SafeTensors.Write(dir.File("in.safetensors"), [SafeTensorEntry.FromInt64("ids", [1], [1])]);
        var e = Assert.Throws<InvalidDataException>(() => EncodeRunner.ReadInput(dir.File("in.safetensors")));
        Assert.Contains("no input_ids tensor (found: ids)", e.Message);
    }
}
