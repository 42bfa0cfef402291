using CogLtx.Data;
using CogLtx.Models;
using CogLtx.Models.Pretrained;
using CogLtx.Reasoner.Decoding;
using CogLtx.Splitter;
using CogLtx.Text.Documents;
using CogLtx.Text.Tasks;
using CogLtx.Text.Tokenization;
using CogLtx.Training.Inference;

namespace CogLtx.Training.Jobs;

/// <summary>
/// Everything a training job sets up before it trains, in one path shared by <c>cogltx train</c> and
/// <c>cogltx experiment</c>: the data set → the task setup (task, labels, query slots, split mode, span decoding,
/// supporting-fact rule; <see cref="TaskFor"/>) → the tokenizer (the pretrained encoder's, a given folder, or a
/// WordPiece vocabulary built from the training texts) → the encoder configuration judge, reasoner and every baseline
/// start from (<see cref="CreateModels"/>). Evaluation then decodes with what <see cref="Setup"/> says.
/// </summary>
public sealed class JobSetup
{
    private JobSetup(Dataset dataset, TaskSetup setup, CogLtxOptions options, string tokenizerDir, ITokenizer tokenizer, BertConfig modelConfig, string? pretrainedDir)
    {
        Dataset = dataset;
        Setup = setup;
        Options = options;
        TokenizerDir = tokenizerDir;
        Tokenizer = tokenizer;
        ModelConfig = modelConfig;
        PretrainedDir = pretrainedDir;
    }

    /// <summary>The data set, limits applied.</summary>
    public Dataset Dataset { get; }

    /// <summary>The task.</summary>
    public TaskSetup Setup { get; }

    /// <summary>The CogLTX settings.</summary>
    public CogLtxOptions Options { get; }

    /// <summary>The tokenizer's folder (copied into every checkpoint).</summary>
    public string TokenizerDir { get; }

    /// <summary>The tokenizer.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>The encoder every model starts from: the pretrained checkpoint's configuration, or a fresh BERT's.</summary>
    public BertConfig ModelConfig { get; }

    /// <summary>The pretrained checkpoint folder; null when the encoders start from scratch.</summary>
    public string? PretrainedDir { get; }

    /// <summary>
    /// Sets up a job on <paramref name="dataset"/>. A vocabulary built from the training texts is written to
    /// <paramref name="vocabDir"/> (when neither a pretrained encoder nor a tokenizer folder is given). Query slot
    /// words that are not single known tokens of the tokenizer are an error (<see cref="ExampleConverter.SlotPositionsOf"/>).
    /// </summary>
    /// <param name="supportingFacts">Overrides the supporting-fact rule the data implies (spec §9.10); null: from the data.</param>
    public static JobSetup Prepare(Dataset dataset, EncoderSpec encoder, SplitMode splitMode, CogLtxOptions options, string vocabDir,
        SupportingFactMode? supportingFacts = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(encoder);
        var setup = TaskFor(dataset, splitMode, supportingFacts);
        options = options.Validate();
        var pretrainedDir = encoder.Pretrained is { } spec ? ResolvePretrained(spec, progress) : null;
        var tokenizerDir = encoder.Tokenizer ?? pretrainedDir ?? WriteVocabulary(dataset, encoder, setup.QuerySlots, vocabDir, options.Capacity);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        ExampleConverter.SlotPositionsOf(tokenizer, setup);
        var config = pretrainedDir is not null
            ? ModelLoader.ReadConfig(pretrainedDir)
            : BertConfig.Scratch(tokenizer.VocabSize, encoder.Layers, encoder.Hidden, encoder.Heads, encoder.Intermediate, maxLength: options.Capacity) with
            {
                PadTokenId = tokenizer.Specials.Pad,
                HiddenDropoutProb = encoder.Dropout,
                AttentionProbsDropoutProb = encoder.Dropout,
            };
        return new JobSetup(dataset, setup, options, tokenizerDir, tokenizer, config, pretrainedDir);
    }

    /// <summary>
    /// The task a data set implies (spec §2, §6, §7, §9.10), the one rule both commands use:
    /// <list type="bullet">
    /// <item>span QA gets the query slots its answers need: "yes" and "no" when some answer is yes or no (HotpotQA),
    /// "none" when some question has no answer (NewsQA); other tasks classify over the data's labels;</item>
    /// <item>HotpotQA's span penalties (−5 beyond 8 tokens, −20 beyond 20) when the documents come as sentences
    /// (HotpotQA, the synthetic multi-hop task: short answers inside one sentence), else NewsQA's (−20 beyond 80);</item>
    /// <item>supporting facts by the released heuristic when the sentences carry paragraph titles (it picks facts
    /// from distinct paragraphs), else by the paper's top-2 fine scores; <paramref name="supportingFacts"/> overrides.</item>
    /// </list>
    /// </summary>
    public static TaskSetup TaskFor(Dataset dataset, SplitMode splitMode, SupportingFactMode? supportingFacts = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var all = dataset.Train.Concat(dataset.Test).ToList();
        var spanQa = dataset.Kind == ReasonerTask.SpanQa;
        var slots = new List<string>();
        if (spanQa && all.Any(e => e.Answer?.Kind is AnswerKind.Yes or AnswerKind.No)) slots.AddRange([TaskSetup.YesSlot, TaskSetup.NoSlot]);
        if (spanQa && all.Any(e => e.Answer?.Kind is AnswerKind.NoAnswer)) slots.Add(TaskSetup.NoAnswerSlot);
        var sentences = all.Where(e => e.Sentences is { Count: > 0 }).SelectMany(e => e.Sentences!).ToList();
        return new TaskSetup
        {
            Task = dataset.Kind,
            LabelNames = spanQa ? [] : dataset.LabelNames,
            QuerySlots = slots,
            SplitMode = splitMode,
            Decoding = sentences.Count > 0 ? SpanDecodingOptions.HotpotQa : SpanDecodingOptions.NewsQa,
            SupportingFacts = supportingFacts ?? (sentences.Any(s => s.Title is not null) ? SupportingFactMode.Heuristic : SupportingFactMode.TopFine),
        }.Validate();
    }

    /// <summary>
    /// Judge and reasoner as a job starts them, both initialised from <paramref name="seed"/>: from the pretrained
    /// encoder (fresh heads) or from scratch, so CogLTX's reasoner and each baseline start from identical weights.
    /// </summary>
    public CogLtxModels CreateModels(ulong seed) => PretrainedDir is { } dir
        ? CogLtxModels.FromPretrained(dir, null, TokenizerDir, Setup, Options, seed)
        : CogLtxModels.CreateFresh(ModelConfig, TokenizerDir, Setup, Options, seed);

    /// <summary>
    /// A checkpoint folder as given (it must hold config.json), else a model name the cache knows, fetched and
    /// converted on first use (<see cref="PretrainedModels.Resolve"/>). Throws <see cref="InvalidDataException"/> or
    /// <see cref="ArgumentException"/> naming what is wrong.
    /// </summary>
    public static string ResolvePretrained(string spec, Action<string>? progress = null)
    {
        if (Directory.Exists(spec) && !File.Exists(Path.Combine(spec, ModelLoader.ConfigFile)))
            throw new InvalidDataException($"folder {spec} holds no {ModelLoader.ConfigFile}; expected a Hugging Face checkpoint folder");
        return PretrainedModels.Resolve(spec, fetchIfMissing: true, progress);
    }

    /// <summary>
    /// vocab.txt from the training texts (<see cref="WordPieceVocabBuilder.Build(Dataset, WordPieceVocabOptions?)"/>) and
    /// a tokenizer_config.json asking for lower-casing, with the encoder's capacity as model_max_length. Each query slot word must be one token (spec §2); one the
    /// size cut dropped replaces the least frequent word.
    /// </summary>
    private static string WriteVocabulary(Dataset dataset, EncoderSpec encoder, IReadOnlyList<string> slotWords, string dir, int modelMaxLength)
    {
        var options = new WordPieceVocabOptions { MaxSize = encoder.VocabSize, MinFrequency = encoder.VocabMinFrequency, Lowercase = true };
        var built = WordPieceVocabBuilder.Build(dataset, options);
        var missing = slotWords.Where(w => !built.Contains(w)).ToList();
        var vocab = missing.Count == 0 ? built : [.. built.Take(Math.Min(built.Count, encoder.VocabSize - missing.Count)), .. missing];
        Directory.CreateDirectory(dir);
        WordPieceVocabBuilder.Write(vocab, Path.Combine(dir, "vocab.txt"));
        TokenizerConfigWriter.Ensure(dir, modelMaxLength, doLowerCase: true, overrideMaxLength: true);
        return dir;
    }
}
