using CogLtx.Data;
using CogLtx.Models;
using CogLtx.Reasoner;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;

namespace CogLtx.Training.Tests;

/// <summary>
/// A tiny synthetic multi-hop QA task for end-to-end tests: short documents (300–500 words), a vocabulary built from
/// the data, a 2-layer hidden-32 encoder, working memory of 128 tokens with 31-token blocks. Everything is seeded.
/// </summary>
internal sealed class TinyTask : IDisposable
{
    public static CogLtxOptions Options { get; } = new() { Capacity = 128, BlockSize = 31, RecallSteps = [2, 3], InferenceBatchSize = 8 };

    public TinyTask(int train = 12, int test = 4, ulong seed = 3, ReasonerTask task = ReasonerTask.SpanQa)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cogltx-training-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var synthetic = new SyntheticOptions
        {
            Seed = seed, TrainCount = train, TestCount = test, MinTokens = 300, MaxTokens = 500,
            LateEvidenceStart = 150, EarlyEvidenceEnd = 100, LateEvidenceFraction = 0.5, ClassCount = 3,
        };
        Dataset = task == ReasonerTask.SpanQa ? SyntheticTasks.MultiHopQa(synthetic) : SyntheticTasks.KeySentenceClassification(synthetic);
        TokenizerDir = Path.Combine(Directory, "tokenizer");
        WordPieceVocabBuilder.Write(WordPieceVocabBuilder.Build(Dataset), Path.Combine(TokenizerDir, "vocab.txt"));
        File.WriteAllText(Path.Combine(TokenizerDir, "tokenizer_config.json"), "{\"do_lower_case\": true}");
        Setup = new TaskSetup { Task = task, LabelNames = Dataset.LabelNames };
    }

    public string Directory { get; }

    public Dataset Dataset { get; }

    public string TokenizerDir { get; }

    public TaskSetup Setup { get; }

    public static TrainingOptions Training { get; } = new()
    {
        Epochs = 3, BatchSize = 4, AccumulationSteps = 1, JudgeLearningRate = 2e-3, ReasonerLearningRate = 2e-3,
        WarmupFraction = 0.1, CheckpointEverySteps = 0, Seed = 11,
    };

    /// <summary>Fresh models: vocabulary from the data, L2 H32 A2 I64, 128 positions.</summary>
    public CogLtxModels CreateModels(ulong seed = 5, CogLtxOptions? options = null, double initStd = 0.02)
    {
        var tokenizer = Text.Tokenization.TokenizerLoader.Load(TokenizerDir);
        var config = BertConfig.Scratch(tokenizer.VocabSize, layers: 2, hidden: 32, heads: 2, intermediate: 64, maxLength: 128) with
        {
            PadTokenId = tokenizer.Specials.Pad,
            InitializerRange = initStd,
        };
        return CogLtxModels.CreateFresh(config, TokenizerDir, Setup, options ?? Options, seed);
    }

    /// <summary>The training split converted with <paramref name="models"/>' tokenizer (one counter, so positions are stable).</summary>
    public List<CogLtxExample> Convert(CogLtxModels models, IReadOnlyList<LongDocExample>? examples = null) =>
        new ExampleConverter(models.Tokenizer, models.Setup, models.Options).ConvertAll(examples ?? Dataset.Train, new BlockIdCounter(), new Tensors.Rng(1));

    public string NewFolder(string name)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
