using CogLtx.Models.Pretrained;

namespace CogLtx.Models.Tests.Pretrained;

/// <summary>
/// The pretrained packages the test project downloads at restore (PackageDownload in the csproj), converted once per
/// test run into a temporary directory, plus the sentences the parity tests encode.
/// </summary>
internal static class PretrainedPackages
{
    private static readonly Dictionary<string, Lazy<Converted>> Conversions = PretrainedModels.Known.ToDictionary(
        m => m.Name, m => new Lazy<Converted>(() => Convert(m)));

    private const string RootPrefix = "cogltx-pretrained-tests-";

    /// <summary>
    /// This process's scratch folder for conversions (about 180 MB). The test host does not reliably run exit
    /// handlers, so each run first deletes the folders of earlier runs whose process is gone.
    /// </summary>
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var stale in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(stale)[RootPrefix.Length..], out var pid) && !IsRunning(pid))
                System.IO.Directory.Delete(stale, recursive: true);
        }
        var root = Path.Combine(Path.GetTempPath(), RootPrefix + Environment.ProcessId);
        if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
        System.IO.Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
        };
        return root;
    });

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The catalogue entry's ONNX bytes, read from the restored package's assembly.</summary>
    public static byte[] OnnxBytes(PretrainedModelInfo info) => ManifestResources.Read(Assembly(info), info.OnnxResource);

    public static string Assembly(PretrainedModelInfo info) => Path.Combine(NuGetPackages.Ensure(info.PackageId, info.Version), info.AssemblyPath);

    /// <summary>The model converted into a temporary directory (deleted at process exit), with its ONNX bytes and report.</summary>
    public static Converted Get(string name) => Conversions[name].Value;

    public sealed record Converted(PretrainedModelInfo Info, byte[] Onnx, string Directory, OnnxBertConverter.Report Report);

    private static Converted Convert(PretrainedModelInfo info)
    {
        var onnx = OnnxBytes(info);
        var vocab = System.Text.Encoding.UTF8.GetString(ManifestResources.Read(Assembly(info), info.VocabResource));
        var root = Root.Value;
        var report = OnnxBertConverter.Convert(onnx, info.OnnxResource, vocab, Path.Combine(root, info.Name));
        return new Converted(info, onnx, report.Directory, report);
    }

    /// <summary>
    /// 20 texts: single words, punctuation, accents and casing, numbers, a sentence pair written as one text, longer
    /// sentences, and one text far over 512 tokens (truncated to 512).
    /// </summary>
    public static readonly IReadOnlyList<string> Sentences =
    [
        "Hello!",
        "a",
        "The cat sat on the mat.",
        "CogLTX selects the key sentences of a long document before reasoning over them.",
        "Café, naïve, résumé: accents are stripped by the uncased tokenizer.",
        "In 1969, Apollo 11 landed 2 astronauts on the Moon; the mission lasted 8 days, 3 hours and 18 minutes.",
        "What is the capital of France?",
        "Paris is the capital and most populous city of France.",
        "unbelievably unaffordable antidisestablishmentarianism",
        "Email me at someone@example.com or visit https://example.org/path?q=1.",
        "北京 is written with two Chinese characters.",
        "   leading and trailing spaces   ",
        "The quick brown fox jumps over the lazy dog. " + "It was not amused, and neither was the hen.",
        "Transformers process tokens in parallel; attention lets every position look at every other position.",
        "#hashtags, @mentions & other symbols: $100 (50% off)!",
        "Yes.",
        "The stock market fell sharply on Monday after the central bank raised interest rates by half a percentage point.",
        "He said: \"I'll be there at 5 o'clock,\" but didn't come.",
        "Machine learning models trained from scratch know no English; pretrained encoders do.",
        string.Join(" ", Enumerable.Range(0, 700).Select(i => $"word{i % 37} reading")),
    ];
}
