using System.Text.Json;
using CogLtx.Models;
using CogLtx.Text.Tokenization;

namespace CogLtx.Training.Pretraining;

/// <summary>
/// What <c>cogltx pretrain</c> starts from: a Hugging Face checkpoint folder (<see cref="ModelDir"/>: its encoder, its
/// MLM head when it has one, else a fresh seeded head whose decoder is tied to the word embeddings, and its tokenizer), or
/// a fresh model (<see cref="Config"/>: a preset name such as mini or small, or a config.json path) with the tokenizer of
/// <see cref="TokenizerDir"/>.
/// </summary>
public sealed record PretrainRequest(IReadOnlyList<string> Corpus, string OutDir, PretrainOptions Options)
{
    /// <summary>Continue this Hugging Face checkpoint (a folder or a pretrained name); null: from scratch with <see cref="Config"/>.</summary>
    public string? ModelDir { get; init; }

    /// <summary>From scratch: mini, small or a config.json path.</summary>
    public string? Config { get; init; }

    /// <summary>Vocabulary folder for a from-scratch model; null: the model's own.</summary>
    public string? TokenizerDir { get; init; }

    /// <summary>The JSONL field holding a document's text.</summary>
    public string TextField { get; init; } = "text";
}

/// <summary>
/// Runs a pre-training request: builds the model, packs the corpus, trains with <see cref="MlmPretrainer"/> (checkpoints
/// in <c>OutDir/checkpoint</c>; the same request again resumes), then writes a Hugging Face checkpoint folder into
/// <c>OutDir</c>: <c>config.json</c> (BertForMaskedLM / RobertaForMaskedLM), <c>model.safetensors</c>, the tokenizer's
/// files with a <c>tokenizer_config.json</c>, and <c>pretraining.json</c> (options, corpus, both curves, unigram baseline).
/// Each file is written atomically, and only once training has finished.
/// </summary>
public static class PretrainJob
{
    /// <summary>The run summary written beside the checkpoint (options, corpus, held-out curve).</summary>
    public const string SummaryFile = "pretraining.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Reads and packs the corpus, builds or loads the model, trains, and writes the Hugging Face folder; <paramref name="log"/> receives one-line notes.</summary>
    public static PretrainResult Run(PretrainRequest request, IProgress<PretrainProgress>? progress, Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var options = request.Options.Validate();
        var files = CorpusReader.Files(request.Corpus);
        var (model, tokenizerDir) = CreateModel(request, log);
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        if (tokenizer.VocabSize != model.Config.VocabSize)
            throw new InvalidDataException($"{tokenizerDir}: the tokenizer has {tokenizer.VocabSize} ids, the model's vocab_size is {model.Config.VocabSize}");
        log($"pretrain: packing {files.Count} corpus file(s) into {options.MaxLength}-token sequences");
        var corpus = PackedCorpus.Build(CorpusReader.Read(files, request.TextField), tokenizer, options.MaxLength, options.HeldOutFraction);
        log($"pretrain: {corpus.Documents} documents; {corpus.Train.Count} training and {corpus.HeldOut.Count} held-out sequences");
        var s = tokenizer.Specials;
        var masker = new MlmMasker(options.Masking, s.Mask, tokenizer.VocabSize, [s.Cls, s.Sep, s.Pad]);
        var trainer = new MlmPretrainer(model, masker, options, request.OutDir);
        var result = trainer.Train(corpus, progress, cancellationToken);
        if (result.Completed) WriteOutput(request, model, tokenizerDir, files, result);
        return result;
    }

    /// <summary>The model to train and the folder of its tokenizer.</summary>
    public static (MaskedLmModel Model, string TokenizerDir) CreateModel(PretrainRequest request, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(request);
        var seed = request.Options.Seed;
        if ((request.ModelDir is null) == (request.Config is null))
            throw new ArgumentException("give either a model to continue (--model DIR|NAME) or a configuration to start from scratch (--config mini|small|CONFIG.json)");
        if (request.ModelDir is { } dir)
        {
            var (loaded, report) = ModelLoader.Load(dir, HfTask.MaskedLM, new LoadOptions { InitSeed = seed, DropoutSeed = seed + 1 });
            log($"pretrain: {report}");
            return ((MaskedLmModel)loaded, request.TokenizerDir ?? dir);
        }
        var tokenizerDir = request.TokenizerDir
            ?? throw new ArgumentException("a model from scratch (--config) needs a tokenizer folder (--tokenizer DIR, e.g. a pretrained model's folder)");
        var tokenizer = TokenizerLoader.Load(tokenizerDir);
        var config = File.Exists(request.Config) ? BertConfig.Load(request.Config!) : BertConfig.Preset(request.Config!, tokenizer.VocabSize);
        if (tokenizer is ByteLevelBpeTokenizer && config.ModelType == "bert") config = config.AsRoberta();
        if (config.VocabSize != tokenizer.VocabSize)
            throw new InvalidDataException($"{request.Config}: vocab_size is {config.VocabSize}, the tokenizer in {tokenizerDir} has {tokenizer.VocabSize} ids");
        config.Validate(request.Config!);
        return ((MaskedLmModel)EncoderFactory.CreateFresh(config, HfTask.MaskedLM, seed), tokenizerDir);
    }

    private static void WriteOutput(PretrainRequest request, MaskedLmModel model, string tokenizerDir, IReadOnlyList<string> files, PretrainResult result)
    {
        var outDir = request.OutDir;
        ModelLoader.Save(model, outDir);
        var copied = 0;
        foreach (var name in CogLtxModels.TokenizerFiles)
        {
            var source = Path.Combine(tokenizerDir, name);
            if (!File.Exists(source)) continue;
            var target = Path.Combine(outDir, name);
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal))
                Tensors.Io.AtomicFile.Write(target, temp => File.Copy(source, temp, overwrite: true));
            copied++;
        }
        if (copied == 0) throw new InvalidOperationException($"no tokenizer files ({string.Join(", ", CogLtxModels.TokenizerFiles)}) in {tokenizerDir}");
        TokenizerConfigWriter.Ensure(outDir, model.Config.MaxLength, lowercaseSource: tokenizerDir);
        var summary = new { request.Options, Corpus = files, Start = request.ModelDir ?? request.Config, Result = result };
        Tensors.Io.AtomicFile.WriteAllText(Path.Combine(outDir, SummaryFile), JsonSerializer.Serialize(summary, Json));
    }
}
