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
