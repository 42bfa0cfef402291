using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using CogLtx.Models;
using CogLtx.Nn;
using CogLtx.Tensors;

namespace CogLtx.Training.Tests;

/// <summary>
/// The key lists Hugging Face expects, taken from the fixture checkpoints in tests/fixtures/models (written by
/// transformers 5.12 <c>save_pretrained</c>, see /work/shared/fixtures/gen_fixtures.py): the keys of
/// <c>bert-tiny-cls/model.safetensors</c> are exactly those of a <c>BertForSequenceClassification</c>, and so on.
/// Layer indices are replaced by <c>*</c> so that checkpoints of another depth compare. Longformer has fixtures for the
/// base model and sequence classification only; its other heads are transformers' RoBERTa heads (LongformerLMHead =
/// RobertaLMHead, the same <c>qa_outputs</c> / <c>classifier</c> Linear), so their lists are longformer-tiny-cls's
/// encoder keys plus the roberta-tiny fixture's head keys.
/// </summary>
internal static partial class HuggingFaceLayout
{
    public static string RepoRoot { get; } = FindRoot(AppContext.BaseDirectory) ?? FindRoot(SourceDirectory())
        ?? throw new DirectoryNotFoundException($"no CogLtx.sln above {AppContext.BaseDirectory} or {SourceDirectory()}");

    public static string ModelDir(string name) => Path.Combine(RepoRoot, "tests", "fixtures", "models", name);

    /// <summary>Fixture folder suffix of each task: bert-tiny, bert-tiny-qa, bert-tiny-cls, bert-tiny-tok, bert-tiny-mlm.</summary>
    public static string Suffix(HfTask task) => task switch
    {
        HfTask.Base => "",
        HfTask.QuestionAnswering => "-qa",
        HfTask.SequenceClassification => "-cls",
        HfTask.TokenClassification => "-tok",
        HfTask.MaskedLM => "-mlm",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, null),
    };

    /// <summary>The (layer-normalised) keys and the class name transformers writes for <paramref name="modelType"/> with <paramref name="task"/>.</summary>
    public static (SortedSet<string> Keys, string Architecture) Expected(string modelType, HfTask task)
    {
        var own = ModelDir($"{modelType}-tiny{Suffix(task)}");
        if (Directory.Exists(own)) return (Keys(own), Architecture(own));
        if (modelType != "longformer") throw new DirectoryNotFoundException($"no fixture {own}");
        var encoder = Keys(ModelDir("longformer-tiny-cls")).Where(k => k.StartsWith("longformer.", StringComparison.Ordinal));
        var robertaHead = ModelDir($"roberta-tiny{Suffix(task)}");
        var head = Keys(robertaHead).Where(k => !k.StartsWith("roberta.", StringComparison.Ordinal));
        return (new SortedSet<string>(encoder.Concat(head), StringComparer.Ordinal), "Longformer" + Architecture(robertaHead)["Roberta".Length..]);
    }

    /// <summary>Tensor names of <c>dir/model.safetensors</c>, layer indices replaced by <c>*</c>.</summary>
    public static SortedSet<string> Keys(string dir) =>
        new(SafeTensors.Read(Path.Combine(dir, ModelLoader.WeightsFile)).Names.Select(k => LayerIndex().Replace(k, ".layer.*.")), StringComparer.Ordinal);

    /// <summary>config.json's architectures[0].</summary>
    public static string Architecture(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ModelLoader.ConfigFile)));
        return doc.RootElement.GetProperty("architectures")[0].GetString()!;
    }

    /// <summary>
    /// The checkpoint in <paramref name="dir"/> has exactly Hugging Face's keys for <paramref name="modelType"/> /
    /// <paramref name="task"/> and names that class in config.json; the message lists the missing and unexpected keys.
    /// </summary>
    public static void AssertLayout(string dir, string modelType, HfTask task)
    {
        var (want, architecture) = Expected(modelType, task);
        var have = Keys(dir);
        var missing = want.Except(have).ToList();
        var unexpected = have.Except(want).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"{dir}: keys differ from {architecture}'s (fixture {modelType}-tiny{Suffix(task)}): " +
            $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        Assert.Equal(architecture, Architecture(dir));
    }

    /// <summary>The fixture's model inputs (input.*), shape (B, T).</summary>
    public static EncoderInput Input(SafeTensorsFile file)
    {
        var shape = file.Shape("input.input_ids");
        var types = file.Contains("input.token_type_ids") ? Ints(file, "input.token_type_ids") : null;
        return new EncoderInput(Ints(file, "input.input_ids"), Ints(file, "input.attention_mask"), shape[0], shape[1], types);
    }

    public static int[] Ints(SafeTensorsFile file, string key) => file.GetInt64(key).Select(v => checked((int)v)).ToArray();

    /// <summary>
    /// The fixtures' check (their README): max|a − b| ≤ 1e-5 + 1e-4·max|b|, over the rows (positions) whose attention mask
    /// is 1 when <paramref name="perTokenMask"/> is given (a converted Longformer differs on padding only).
    /// </summary>
    public static void AssertClose(Tensor actual, Tensor expected, string label, int[]? perTokenMask = null)
    {
        Assert.True(actual.Size == expected.Size, $"{label}: {actual.Size} values, expected {expected.Size}");
        var width = perTokenMask is null ? actual.Size : actual.Size / perTokenMask.Length;
        float maxDiff = 0, maxRef = 0;
        for (var i = 0; i < actual.Size; i++)
        {
            if (perTokenMask is not null && perTokenMask[i / width] == 0) continue;
            maxDiff = MathF.Max(maxDiff, MathF.Abs(actual.Data[i] - expected.Data[i]));
            maxRef = MathF.Max(maxRef, MathF.Abs(expected.Data[i]));
        }
        Assert.True(maxDiff <= 1e-5f + 1e-4f * maxRef, $"{label}: max |diff| {maxDiff:G4} exceeds 1e-5 + 1e-4·{maxRef:G4}");
    }

    /// <summary>Loads <paramref name="dir"/> as Hugging Face would (strict: no missing or unexpected key) and runs it in eval mode.</summary>
    public static IReadOnlyDictionary<string, Tensor> LoadAndRun(string dir, EncoderInput input, HfTask? task = null)
    {
        var (model, report) = ModelLoader.Load(dir, task, new LoadOptions { Strict = true });
        Assert.True(report.IsExact, report.ToString());
        return EncodeRunner.Encode(model, input);
    }

    [GeneratedRegex(@"\.layer\.\d+\.")]
    private static partial Regex LayerIndex();

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CogLtx.sln"))) return dir.FullName;
        return null;
    }
}
