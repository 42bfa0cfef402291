using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Models.Tests;

/// <summary>Loading checkpoints that do not fit exactly: prefixes, legacy names, load reports and the errors.</summary>
public sealed class ModelLoaderTests
{
    [Fact]
    public void Load_WrongShape_NamesKeyAndBothShapes()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        RewriteWeights(dir, t => t["encoder.layer.0.attention.self.query.weight"] = Tensor.Zeros(32, 16));
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(dir.Path));
        Assert.Contains("encoder.layer.0.attention.self.query.weight", e.Message);
        Assert.Contains("expected [32, 32]", e.Message);
        Assert.Contains("[32, 16]", e.Message);
    }

    [Fact]
    public void Load_MissingEncoderKey_IsAnErrorNamingTheKey()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        RewriteWeights(dir, t => t.Remove("encoder.layer.1.output.dense.bias"));
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(dir.Path));
        Assert.Contains("missing keys: encoder.layer.1.output.dense.bias", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Load_VocabularyTableDisagreesWithConfig_NamesConfigField()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.WriteAllText(dir.File("config.json"), File.ReadAllText(dir.File("config.json")).Replace("\"vocab_size\": 1000", "\"vocab_size\": 1200"));
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(dir.Path));
        Assert.Contains("embeddings.word_embeddings.weight has shape [1000, 32], but config.json says vocab_size = 1200", e.Message);
    }

    [Fact]
    public void Load_UnknownModelType_NamesTypeAndFile()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.WriteAllText(dir.File("config.json"), File.ReadAllText(dir.File("config.json")).Replace("\"model_type\": \"bert\"", "\"model_type\": \"gpt2\""));
        var e = Assert.Throws<InvalidDataException>(() => EncoderFactory.Load(dir.Path));
        Assert.Contains("unknown model_type \"gpt2\"", e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Theory]
    [InlineData("vocab.txt")]
    [InlineData("vocab.json")]
    public void Load_VocabularyFileLargerThanConfig_NamesBothFilesAndSizes(string vocabFile)
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        var tokens = Enumerable.Range(0, 1001).Select(i => $"tok{i}").ToList();
        File.WriteAllText(dir.File(vocabFile), vocabFile == "vocab.txt"
            ? string.Join("\n", tokens) + "\n"
            : "{" + string.Join(",", tokens.Select((t, i) => $"\"{t}\":{i}")) + "}");
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(dir.Path));
        Assert.Contains($"{vocabFile} has 1001 tokens", e.Message);
        Assert.Contains("config.json says vocab_size = 1000", e.Message);
    }

    [Fact]
    public void Load_VocabularyFileOfConfigSize_IsAccepted()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        File.WriteAllText(dir.File("vocab.txt"), string.Join("\n", Enumerable.Range(0, 1000).Select(i => $"tok{i}")) + "\n");
        Assert.True(ModelLoader.Load<BertModel>(dir.Path).Report.IsExact);
    }

    [Fact]
    public void Load_BaseCheckpointUnderHeadModel_InitialisesAndReportsHead()
    {
        var (model, report) = ModelLoader.Load<QuestionAnsweringModel>(Fixtures.ModelDir("bert-tiny"), new LoadOptions { InitSeed = 5 });
        Assert.Equal(["qa_outputs.bias", "qa_outputs.weight"], report.MissingKeys);
        // BertForQuestionAnswering has no pooler, so the base checkpoint's pooler is unused.
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], report.UnexpectedKeys);
        Assert.All(model.QaOutputs.Bias!.Data, b => Assert.Equal(0f, b));
        Assert.Contains(model.QaOutputs.Weight.Data, w => w != 0f);

        var expected = Fixtures.Expected("bert-tiny");
        model.Eval();
        using var _ = Autograd.NoGrad();
        Fixtures.AssertClose(model.Encoder.Forward(Fixtures.Input(expected)), expected.GetFloat("out.last_hidden_state"), "encoder under bert. prefix");

        var e = Assert.Throws<InvalidDataException>(() =>
            ModelLoader.Load<QuestionAnsweringModel>(Fixtures.ModelDir("bert-tiny"), new LoadOptions { Strict = true }));
        Assert.Contains("missing keys: qa_outputs.bias, qa_outputs.weight", e.Message);
        Assert.Contains("unexpected keys: bert.pooler.dense.bias, bert.pooler.dense.weight", e.Message);
    }

    [Theory]
    [InlineData("bert-tiny-qa", "bert-tiny")]
    [InlineData("roberta-tiny-tok", "roberta-tiny")]
    public void Load_HeadCheckpointAsBaseModel_StripsPrefixAndReportsHead(string headFixture, string baseFixture)
    {
        // Head fixtures hold the base checkpoint's encoder under bert./roberta. (fixtures README, "Head variants").
        var (model, report) = ModelLoader.Load(Fixtures.ModelDir(headFixture), HfTask.Base);
        var encoder = Assert.IsAssignableFrom<EncoderModel>(model);
        Assert.Equal(["pooler.dense.bias", "pooler.dense.weight"], report.MissingKeys);
        Assert.NotEmpty(report.UnexpectedKeys);
        Assert.DoesNotContain(report.UnexpectedKeys, k => k.StartsWith("bert.", StringComparison.Ordinal) || k.StartsWith("roberta.", StringComparison.Ordinal));
        var expected = Fixtures.Expected(baseFixture);
        encoder.Eval();
        using var _ = Autograd.NoGrad();
        Fixtures.AssertClose(encoder.Forward(Fixtures.Input(expected)), expected.GetFloat("out.last_hidden_state"), "last_hidden_state");
    }

    [Fact]
    public void Load_LegacyGammaBetaNames_AreAccepted()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        RewriteWeights(dir, t =>
        {
            foreach (var key in t.Keys.Where(k => k.Contains("LayerNorm.")).ToList())
            {
                var legacy = key.EndsWith(".weight") ? key[..^".weight".Length] + ".gamma" : key[..^".bias".Length] + ".beta";
                t[legacy] = t[key];
                t.Remove(key);
            }
        });
        var (model, report) = ModelLoader.Load<BertModel>(dir.Path, new LoadOptions { Strict = true });
        Assert.True(report.IsExact);
        var expected = Fixtures.Expected("bert-tiny");
        model.Eval();
        using var _ = Autograd.NoGrad();
        Fixtures.AssertClose(model.Forward(Fixtures.Input(expected)), expected.GetFloat("out.last_hidden_state"), "last_hidden_state");
    }

    [Fact]
    public void Load_IntegerPositionIdsBuffer_IsIgnored()
    {
        using var dir = TempDir.CopyOf("bert-tiny");
        var file = SafeTensors.Read(dir.File("model.safetensors"));
        var entries = file.Names.Select(n => SafeTensorEntry.FromTensor(n, file.GetFloat(n))).ToList();
        entries.Add(SafeTensorEntry.FromInt64("embeddings.position_ids", Enumerable.Range(0, 128).Select(i => (long)i).ToArray(), [1, 128]));
        SafeTensors.Write(dir.File("model.safetensors"), entries);
        var (_, report) = ModelLoader.Load<BertModel>(dir.Path, new LoadOptions { Strict = true });
        Assert.Equal(["embeddings.position_ids"], report.IgnoredKeys);
    }

    [Fact]
    public void Load_AsWrongModelClass_NamesBothClasses()
    {
        var e = Assert.Throws<InvalidDataException>(() => BertModel.Load(Fixtures.ModelDir("roberta-tiny")));
        Assert.Contains("RobertaModel, not BertModel", e.Message);
    }

    [Fact]
    public void Load_MissingDirectory_NamesIt()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => BertModel.Load("/nonexistent/model-dir"));
        Assert.Contains("/nonexistent/model-dir", e.Message);
    }

    private static void RewriteWeights(TempDir dir, Action<Dictionary<string, Tensor>> edit)
    {
        var tensors = SafeTensors.Read(dir.File("model.safetensors")).FloatTensors();
        edit(tensors);
        SafeTensors.Write(dir.File("model.safetensors"), tensors);
    }
}
