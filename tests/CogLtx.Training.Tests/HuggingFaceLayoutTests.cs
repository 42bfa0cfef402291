using CogLtx.Models;
using CogLtx.Models.Longformer;
using CogLtx.Nn;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Training.Tests;

/// <summary>
/// Every kind of checkpoint the project writes has exactly the keys Hugging Face expects for the class its config.json
/// names (<see cref="HuggingFaceLayout"/>: key lists from the transformers-written fixtures), and, where a fixture holds
/// reference outputs, loading it back computes them: CogLTX model directories (judge, reasoner for span QA /
/// classification / multi-label, BERT and RoBERTa) and Longformer conversions of every fixture head.
/// </summary>
public sealed class HuggingFaceLayoutTests : IDisposable
{
    private static readonly CogLtxOptions Options = new() { Capacity = 64, BlockSize = 15, RecallSteps = [2], InferenceBatchSize = 4 };

    private readonly string root = Path.Combine(Path.GetTempPath(), "cogltx-layout-tests", Guid.NewGuid().ToString("N"));

    public HuggingFaceLayoutTests() => Directory.CreateDirectory(root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [Theory]
    [InlineData("bert", ReasonerTask.SpanQa)]
    [InlineData("bert", ReasonerTask.Classification)]
    [InlineData("bert", ReasonerTask.MultiLabel)]
    [InlineData("roberta", ReasonerTask.SpanQa)]
    [InlineData("roberta", ReasonerTask.Classification)]
    [InlineData("roberta", ReasonerTask.MultiLabel)]
    public void CogLtxModelDirectory_JudgeAndReasoner_HaveHuggingFaceKeys_AndLoadBackExactly(string modelType, ReasonerTask task)
    {
        var config = ModelLoader.ReadConfig(HuggingFaceLayout.ModelDir($"{modelType}-tiny"));
        var setup = Setup(task);
        var dir = Path.Combine(root, "model");
        CogLtxModels.CreateFresh(config, Tokenizer(), setup, Options, seed: 3).Save(dir);

        HuggingFaceLayout.AssertLayout(Path.Combine(dir, CogLtxModels.JudgeDir), modelType, HfTask.TokenClassification);
        var reasonerTask = task == ReasonerTask.SpanQa ? HfTask.QuestionAnswering : HfTask.SequenceClassification;
        HuggingFaceLayout.AssertLayout(Path.Combine(dir, CogLtxModels.ReasonerDir), modelType, reasonerTask);
        var reasonerConfig = ModelLoader.ReadConfig(Path.Combine(dir, CogLtxModels.ReasonerDir));
        using (var tokenizerConfig = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, CogLtxModels.TokenizerDir, "tokenizer_config.json"))))
        {
            // What AutoTokenizer needs beside a bare vocab.txt: its class, and a length to truncate to.
            Assert.Equal(config.MaxLength, tokenizerConfig.RootElement.GetProperty("model_max_length").GetInt32());
            Assert.Equal("BertTokenizer", tokenizerConfig.RootElement.GetProperty("tokenizer_class").GetString());
            Assert.True(tokenizerConfig.RootElement.GetProperty("do_lower_case").GetBoolean());
        }
        if (task == ReasonerTask.Classification)
            Assert.Equal(new Dictionary<string, string> { ["0"] = "sport", ["1"] = "politics", ["2"] = "science" }, reasonerConfig.Id2Label);

        // What Hugging Face loads (strict) computes what the CogLTX model computes.
        var reloaded = CogLtxModels.Load(dir);
        reloaded.Eval();
        var input = new EncoderInput([config.PaddingIdx + 2, 7, 9, 11, config.PaddingIdx + 3], [1, 1, 1, 1, 1], 1, 5);
        var judge = HuggingFaceLayout.LoadAndRun(Path.Combine(dir, CogLtxModels.JudgeDir), input);
        HuggingFaceLayout.AssertClose(judge["logits"], reloaded.Judge.Head.Forward(input), "judge logits");
        var reasoner = HuggingFaceLayout.LoadAndRun(Path.Combine(dir, CogLtxModels.ReasonerDir), input);
        var own = reloaded.Reasoner.Head.Run(input);
        foreach (var (name, value) in own) HuggingFaceLayout.AssertClose(reasoner[name], value, $"reasoner {name}");
    }

    [Theory]
    [InlineData("bert-tiny-cls", ReasonerTask.Classification)]
    [InlineData("roberta-tiny-cls", ReasonerTask.Classification)]
    [InlineData("bert-tiny-qa", ReasonerTask.SpanQa)]
    [InlineData("roberta-tiny-qa", ReasonerTask.SpanQa)]
    public void CogLtxModelDirectory_FromHuggingFaceHeads_SavedReasonerAndJudge_ComputeTheFixtureOutputs(string fixture, ReasonerTask task)
    {
        var modelType = fixture.Split('-')[0];
        var baseDir = HuggingFaceLayout.ModelDir($"{modelType}-tiny");
        var dir = Path.Combine(root, "model");
        CogLtxModels.FromPretrained(baseDir, HuggingFaceLayout.ModelDir(fixture), Tokenizer(), Setup(task), Options, seed: 3, warn: _ => { }).Save(dir);

        var expected = SafeTensors.Read(Path.Combine(HuggingFaceLayout.ModelDir(fixture), "expected.safetensors"));
        var outputs = HuggingFaceLayout.LoadAndRun(Path.Combine(dir, CogLtxModels.ReasonerDir), HuggingFaceLayout.Input(expected));
        foreach (var name in task == ReasonerTask.SpanQa ? new[] { "start_logits", "end_logits" } : ["logits"])
            HuggingFaceLayout.AssertClose(outputs[name], expected.GetFloat("out." + name), $"{fixture} {name}");

        // The judge's encoder is the base fixture's: its last_hidden_state is the fixture's.
        var baseExpected = SafeTensors.Read(Path.Combine(baseDir, "expected.safetensors"));
        var (judgeModel, _) = ModelLoader.Load(Path.Combine(dir, CogLtxModels.JudgeDir), HfTask.Base);
        var hidden = EncodeRunner.Encode(judgeModel, HuggingFaceLayout.Input(baseExpected))["last_hidden_state"];
        HuggingFaceLayout.AssertClose(hidden, baseExpected.GetFloat("out.last_hidden_state"), $"{modelType} judge encoder");
    }

    [Theory]
    [InlineData("bert-tiny", HfTask.Base)]
    [InlineData("bert-tiny-cls", HfTask.SequenceClassification)]
    [InlineData("bert-tiny-mlm", HfTask.MaskedLM)]
    [InlineData("bert-tiny-qa", HfTask.QuestionAnswering)]
    [InlineData("bert-tiny-tok", HfTask.TokenClassification)]
    [InlineData("roberta-tiny", HfTask.Base)]
    [InlineData("roberta-tiny-cls", HfTask.SequenceClassification)]
    [InlineData("roberta-tiny-mlm", HfTask.MaskedLM)]
    [InlineData("roberta-tiny-qa", HfTask.QuestionAnswering)]
    [InlineData("roberta-tiny-tok", HfTask.TokenClassification)]
    public void LongformerConversion_HasLongformerKeys_AndComputesTheSourceOutputs(string fixture, HfTask task)
    {
        var dir = Path.Combine(root, "longformer");
        LongformerConverter.ConvertCheckpoint(HuggingFaceLayout.ModelDir(fixture), dir, maxLength: 64, attentionWindow: 32);
        HuggingFaceLayout.AssertLayout(dir, "longformer", task);

        // The fixture's inputs are 12 tokens: inside every band of 32, so the Longformer computes what the source did on
        // real tokens (padding rows differ: Longformer zeroes them).
        var expected = SafeTensors.Read(Path.Combine(HuggingFaceLayout.ModelDir(fixture), "expected.safetensors"));
        var input = HuggingFaceLayout.Input(expected);
        var outputs = HuggingFaceLayout.LoadAndRun(dir, input);
        foreach (var (name, value) in outputs)
        {
            var perToken = name is "last_hidden_state" || name.EndsWith("_logits", StringComparison.Ordinal) || name == "logits" && task is HfTask.MaskedLM or HfTask.TokenClassification;
            HuggingFaceLayout.AssertClose(value, expected.GetFloat("out." + name), $"{fixture} → longformer {name}", perToken ? input.AttentionMask : null);
        }
    }

    [Fact]
    public void Pretrained_HeadWithAnotherNumberOfLabels_IsReinitialisedAndNamed()
    {
        // bert-tiny-cls has 3 labels; a 4-class task re-initialises classifier.* (the pooler is kept) and says so.
        var messages = new List<string>();
        var setup = new TaskSetup { Task = ReasonerTask.Classification, LabelNames = ["a", "b", "c", "d"] };
        var fixture = HuggingFaceLayout.ModelDir("bert-tiny-cls");
        var models = CogLtxModels.FromPretrained(HuggingFaceLayout.ModelDir("bert-tiny"), fixture, Tokenizer(), setup, Options, seed: 3, warn: messages.Add);
        Assert.Equal(4, models.Reasoner.NumLabels);
        var message = Assert.Single(messages);
        Assert.Contains("BertForSequenceClassification", message);
        Assert.Contains("classifier.weight: found shape [3, 32] in the checkpoint and [4, 32] in the model", message);
        Assert.DoesNotContain("pooler", message);
        var pooler = SafeTensors.Read(Path.Combine(fixture, ModelLoader.WeightsFile)).GetFloat("bert.pooler.dense.weight").Data;
        Assert.Equal(pooler, models.Reasoner.StateDict()["bert.pooler.dense.weight"].Data);
    }

    [Fact]
    public void Pretrained_FolderWithOnlyPytorchModelBin_StartsFromTheSameWeights()
    {
        // tests/fixtures/torch/bert-tiny-bin: bert-tiny written by torch.save (what `train --pretrained` gets from many hub folders).
        var bin = Path.Combine(HuggingFaceLayout.RepoRoot, "tests", "fixtures", "torch", "bert-tiny-bin");
        var setup = Setup(ReasonerTask.Classification);
        var fromBin = CogLtxModels.FromPretrained(bin, null, Tokenizer(), setup, Options, seed: 3, warn: _ => { });
        var fromSafetensors = CogLtxModels.FromPretrained(HuggingFaceLayout.ModelDir("bert-tiny"), null, Tokenizer(), setup, Options, seed: 3, warn: _ => { });
        var expected = fromSafetensors.Judge.StateDict();
        var actual = fromBin.Judge.StateDict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected) Assert.True(value.Data.SequenceEqual(actual[key].Data), key);
    }

    private static TaskSetup Setup(ReasonerTask task) => task switch
    {
        ReasonerTask.SpanQa => new TaskSetup { Task = task },
        ReasonerTask.Classification => new TaskSetup { Task = task, LabelNames = ["sport", "politics", "science"] },
        _ => new TaskSetup { Task = task, LabelNames = ["sport", "politics", "science", "art"] },
    };

    /// <summary>A WordPiece vocabulary smaller than the fixtures' 1000 ids.</summary>
    private string Tokenizer()
    {
        var dir = Path.Combine(root, "tokenizer");
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "sport", "politics", "science"]);
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"do_lower_case\": true}");
        return dir;
    }
}
