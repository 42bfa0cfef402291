using System.Text.Json;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>Saving in the Hugging Face layout, fresh initialisation, train/eval behaviour.</summary>
public sealed class SaveAndInitTests
{
    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("bert-tiny-cls")]
    [InlineData("roberta-tiny-qa")]
    [InlineData("roberta-tiny-mlm")]
    public void Save_ThenLoad_RoundTripsInHuggingFaceLayout(string fixture)
    {
        var (model, _) = ModelLoader.Load(Fixtures.ModelDir(fixture));
        using var dir = new TempDir();
        ModelLoader.Save(model, dir.Path);

        // Same key set (tied decoder omitted, prefixes kept) and same values as the file transformers wrote.
        var original = SafeTensors.Read(Path.Combine(Fixtures.ModelDir(fixture), "model.safetensors"));
        var saved = SafeTensors.Read(dir.File("model.safetensors"));
        Assert.Equal(original.Names, saved.Names);
        Assert.Equal("pt", saved.Metadata["format"]);
        foreach (var name in original.Names) Assert.Equal(original.GetFloat(name).Data, saved.GetFloat(name).Data);

        using (var config = JsonDocument.Parse(File.ReadAllText(dir.File("config.json"))))
        {
            using var originalConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.ModelDir(fixture), "config.json")));
            Assert.Equal(originalConfig.RootElement.GetProperty("architectures")[0].GetString(), config.RootElement.GetProperty("architectures")[0].GetString());
            // Fields this project does not model survive the round trip.
            Assert.Equal("5.12.1", config.RootElement.GetProperty("transformers_version").GetString());
            Assert.False(config.RootElement.TryGetProperty("num_labels", out _));
        }

        var (reloaded, report) = ModelLoader.Load(dir.Path, null, new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Equal(model.Architecture, reloaded.Architecture);
    }

    [Fact]
    public void Save_FreshHeadWithNumLabels_WritesId2Label()
    {
        var config = BertConfig.Scratch(vocabSize: 50, layers: 1, hidden: 8, heads: 2) with { NumLabelsField = 4 };
        var model = EncoderFactory.CreateFresh(config, HfTask.SequenceClassification, seed: 3);
        using var dir = new TempDir();
        ModelLoader.Save(model, dir.Path);
        var reloaded = BertConfig.Load(dir.File("config.json"));
        Assert.Equal(4, reloaded.NumLabels);
        Assert.Equal(["BertForSequenceClassification"], reloaded.Architectures!);
        var (back, report) = ModelLoader.Load<SequenceClassificationModel>(dir.Path, new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        Assert.Equal(4, back.NumLabels);
    }

    [Fact]
    public void Fresh_Initialisation_FollowsHuggingFaceInitWeights()
    {
        // transformers _init_weights: Linear and Embedding weights ~ N(0, initializer_range²), biases 0,
        // LayerNorm weight 1 and bias 0, the embedding padding row 0.
        var config = BertConfig.Scratch(vocabSize: 400, layers: 2, hidden: 64, heads: 4) with { InitializerRange = 0.05 };
        var model = BertModel.Create(config, seed: 11);
        foreach (var (name, p) in model.NamedParameters())
        {
            if (name.Contains("LayerNorm.weight")) Assert.All(p.Data, v => Assert.Equal(1f, v));
            else if (name.EndsWith(".bias")) Assert.All(p.Data, v => Assert.Equal(0f, v));
            else if (name != "embeddings.word_embeddings.weight")
            {
                var std = Math.Sqrt(p.Data.Average(v => (double)v * v));
                Assert.InRange(std, 0.045, 0.055);
            }
        }
        var word = model.Embeddings.WordEmbeddings.Weight;
        Assert.All(word.Data.AsSpan(0, 64).ToArray(), v => Assert.Equal(0f, v)); // pad_token_id 0
        Assert.Contains(word.Data.AsSpan(64, 64).ToArray(), v => v != 0f);
    }

    [Fact]
    public void Fresh_SameSeed_SameWeights_OtherSeed_Different()
    {
        var config = BertConfig.Scratch(vocabSize: 100, layers: 1, hidden: 16, heads: 2);
        var a = BertModel.Create(config, seed: 7).StateDict();
        var b = BertModel.Create(config, seed: 7).StateDict();
        var c = BertModel.Create(config, seed: 8).StateDict();
        foreach (var (name, t) in a) Assert.Equal(t.Data, b[name].Data);
        Assert.NotEqual(a["encoder.layer.0.attention.self.query.weight"].Data, c["encoder.layer.0.attention.self.query.weight"].Data);
    }

    [Fact]
    public void RobertaFresh_PositionPaddingRowIsZero_AndLengthLimitExcludesIt()
    {
        var config = BertConfig.Scratch(vocabSize: 100, layers: 1, hidden: 16, heads: 2, maxLength: 20).AsRoberta();
        Assert.Equal(22, config.MaxPositionEmbeddings);
        var model = RobertaModel.Create(config, seed: 1);
        Assert.Equal(20, model.MaxLength);
        Assert.All(model.Embeddings.PositionEmbeddings.Weight.Data.AsSpan(16, 16).ToArray(), v => Assert.Equal(0f, v));
        model.Eval();
        using var _ = Autograd.NoGrad();
        Assert.Equal([1, 20, 16], model.Forward(EncoderInput.Single(Enumerable.Repeat(5, 20).ToArray())).Shape);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(EncoderInput.Single(Enumerable.Repeat(5, 21).ToArray())));
        Assert.Contains("at most 20 tokens", e.Message);
    }

    [Fact]
    public void Dropout_ActiveInTrainingOnly_AndSeeded()
    {
        var config = BertConfig.Scratch(vocabSize: 100, layers: 1, hidden: 16, heads: 2);
        var input = EncoderInput.Single([2, 10, 11, 12, 3]);
        float[] Run(bool train)
        {
            var model = BertModel.Create(config, seed: 4);
            model.Train(train);
            using var _ = Autograd.NoGrad();
            return model.Forward(input).Data;
        }
        Assert.Equal(Run(false), Run(false));
        Assert.Equal(Run(true), Run(true));
        Assert.NotEqual(Run(false), Run(true));
    }

    [Fact]
    public void PaddedRow_MatchesUnpaddedSequence()
    {
        // Masking: a sequence padded with masked tokens gives the same vectors at its real positions as alone.
        var model = BertModel.Create(BertConfig.Scratch(vocabSize: 100, layers: 2, hidden: 16, heads: 2), seed: 9);
        model.Eval();
        using var _ = Autograd.NoGrad();
        var alone = model.Forward(EncoderInput.Single([2, 40, 41, 3]));
        var padded = model.Forward(new EncoderInput([2, 40, 41, 3, 0, 0], [1, 1, 1, 1, 0, 0], 1, 6));
        for (var i = 0; i < alone.Size; i++) Assert.Equal(alone.Data[i], padded.Data[i], 1e-5f);
    }
}
