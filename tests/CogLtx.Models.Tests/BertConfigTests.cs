namespace CogLtx.Models.Tests;

public sealed class BertConfigTests
{
    [Fact]
    public void Load_FixtureConfig_ReadsHuggingFaceFields()
    {
        var c = BertConfig.Load(Path.Combine(Fixtures.ModelDir("roberta-tiny-cls"), "config.json"));
        Assert.Equal("roberta", c.ModelType);
        Assert.Equal((1000, 32, 2, 4, 37), (c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize));
        Assert.Equal((130, 1, 1e-5), (c.MaxPositionEmbeddings, c.TypeVocabSize, c.LayerNormEps));
        Assert.Equal((1, 0, 2), (c.PadTokenId, c.BosTokenId, c.EosTokenId));
        Assert.Equal(3, c.NumLabels);
        Assert.Equal(8, c.HeadSize);
        Assert.Equal(128, c.MaxLength);
        Assert.Equal(HfTask.SequenceClassification, EncoderFactory.TaskOf(c));
    }

    [Theory]
    [InlineData("\"hidden_size\": 30, \"num_attention_heads\": 4", "hidden_size 30 is not divisible by num_attention_heads 4")]
    [InlineData("\"hidden_act\": \"swish\"", "unsupported hidden_act \"swish\"")]
    [InlineData("\"model_type\": \"t5\"", "unknown model_type \"t5\"")]
    [InlineData("\"hidden_dropout_prob\": 1.5", "hidden_dropout_prob must be in [0, 1)")]
    [InlineData("\"position_embedding_type\": \"relative_key\"", "unsupported position_embedding_type \"relative_key\"")]
    [InlineData("\"pad_token_id\": 40000", "pad_token_id 40000 is outside the vocabulary")]
    [InlineData("\"model_type\": \"longformer\", \"pad_token_id\": 1, \"attention_window\": 5", "attention_window values must be positive and even")]
    public void Parse_InvalidConfig_NamesTheField(string fields, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => BertConfig.Parse("{" + fields + "}", "my/config.json"));
        Assert.StartsWith("my/config.json: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parse_NotJson_NamesTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => BertConfig.Parse("{\"hidden_size\": ", "x/config.json"));
        Assert.Contains("x/config.json: not a valid config.json", e.Message);
    }

    [Fact]
    public void Parse_AbsentFields_TakeTransformersDefaults()
    {
        var c = BertConfig.Parse("{\"model_type\": \"bert\"}");
        Assert.Equal(BertConfig.Base(), c with { Extra = null });
        Assert.Equal(2, c.NumLabels);
    }

    [Fact]
    public void AttentionWindow_IntOrList()
    {
        var single = BertConfig.Parse("{\"model_type\": \"longformer\", \"pad_token_id\": 1, \"attention_window\": 512}");
        Assert.Equal([512], single.AttentionWindow!);
        var list = BertConfig.Parse("{\"model_type\": \"longformer\", \"pad_token_id\": 1, \"num_hidden_layers\": 2, \"attention_window\": [4, 8]}");
        Assert.Equal([4, 8], list.AttentionWindow!);
    }

    [Fact]
    public void Presets_HaveTorchPeerSizes()
    {
        Assert.Equal((4, 256, 4, 1024, 30522), Sizes(BertConfig.Preset("mini")));
        Assert.Equal((4, 512, 8, 2048, 30522), Sizes(BertConfig.Preset("small")));
        Assert.Equal((12, 768, 12, 3072, 30522), Sizes(BertConfig.Preset("base")));
        Assert.Equal((2, 128, 2, 512, 30522), Sizes(BertConfig.Preset("tiny")));
        var roberta = BertConfig.Base(50265).AsRoberta();
        Assert.Equal((514, 1, 512), (roberta.MaxPositionEmbeddings, roberta.PadTokenId, roberta.MaxLength));
        Assert.Throws<ArgumentException>(() => BertConfig.Preset("huge"));

        static (int, int, int, int, int) Sizes(BertConfig c) => (c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize, c.VocabSize);
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var c = BertConfig.Small().AsRoberta() with { NumLabelsField = 3 };
        var back = BertConfig.Parse(c.ToJson("RobertaForTokenClassification"));
        Assert.Equal(3, back.NumLabels);
        Assert.Equal(["RobertaForTokenClassification"], back.Architectures!);
        Assert.Equal(c.MaxPositionEmbeddings, back.MaxPositionEmbeddings);
        Assert.Equal(HfTask.TokenClassification, EncoderFactory.TaskOf(back));
    }
}
