using System.Text.RegularExpressions;
using CogLtx.Text.Input;

namespace CogLtx.Models.Pretrained;

/// <summary>
/// The local Hugging Face hub cache, as <c>huggingface_hub</c> lays it out (<c>constants.py</c>, <c>file_download.py</c>):
/// the root is <c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c>, else
/// <c>~/.cache/huggingface/hub</c>; model <c>org/name</c> lives in <c>models--org--name/</c>, whose
/// <c>refs/main</c> holds the commit hash of the snapshot <c>snapshots/&lt;commit&gt;/</c> that <c>from_pretrained</c>
/// would use. Only reads: nothing is downloaded.
/// </summary>
internal static partial class HuggingFaceCache
{
    /// <summary>The hub cache folder (which may not exist), from this process's environment.</summary>
    public static string Root => RootFrom(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The hub cache folder given the environment <paramref name="env"/> and the home folder.</summary>
    internal static string RootFrom(Func<string, string?> env, string home)
    {
        if (env("HF_HUB_CACHE") is { Length: > 0 } hub) return Path.GetFullPath(hub);
        if (env("HF_HOME") is { Length: > 0 } hfHome) return Path.GetFullPath(Path.Combine(hfHome, "hub"));
        var cache = env("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".cache");
        return Path.GetFullPath(Path.Combine(cache, "huggingface", "hub"));
    }

    /// <summary>
    /// True when <paramref name="name"/> has the shape of a hub model id: <c>name</c> or <c>org/name</c>, each part of
    /// letters, digits, '-', '_', '.', not starting or ending with '-' or '.', without "--" or "..".
    /// </summary>
    public static bool IsHubId(string name) => HubId().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>The cache folder of <paramref name="hubId"/>: <c>&lt;root&gt;/models--org--name</c> (root: <see cref="Root"/> unless given).</summary>
    public static string RepoFolder(string hubId, string? root = null) =>
        Path.Combine(root ?? Root, "models--" + hubId.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>
    /// The snapshot folder <c>from_pretrained(hubId)</c> would read offline, or null when the model is not cached:
    /// <c>snapshots/&lt;refs/main&gt;</c>, or the only snapshot when there is no <c>refs/main</c>.
    /// Throws <see cref="InvalidDataException"/> for a cache entry that is there but broken (a ref to a missing snapshot).
    /// </summary>
    public static string? FindSnapshot(string hubId, string? root = null)
    {
        var repo = RepoFolder(hubId, root);
        var snapshots = Path.Combine(repo, "snapshots");
        if (!Directory.Exists(snapshots)) return null;
        var refMain = Path.Combine(repo, "refs", "main");
        if (File.Exists(refMain))
        {
            var commit = Utf8Input.ReadFile(refMain).Trim();
            var snapshot = Path.Combine(snapshots, commit);
            if (commit.Length == 0 || commit.Contains('/') || commit.Contains('\\') || !Directory.Exists(snapshot))
                throw new InvalidDataException($"{refMain} names snapshot \"{commit}\", which is not in {snapshots}");
            return snapshot;
        }
        var all = Directory.GetDirectories(snapshots);
        return all.Length switch
        {
            0 => null,
            1 => all[0],
            _ => throw new InvalidDataException($"{repo} has {all.Length} snapshots and no refs/main to choose one"),
        };
    }

    /// <summary>
    /// <see cref="FindSnapshot"/>, or a <see cref="DirectoryNotFoundException"/> saying where it looked and how to
    /// fill the cache.
    /// </summary>
    public static string Resolve(string hubId, string? root = null) =>
        FindSnapshot(hubId, root) ?? throw new DirectoryNotFoundException(
            $"\"{hubId}\" is no directory, and not in the Hugging Face cache either (looked for {RepoFolder(hubId, root)}/refs/main and snapshots/; the cache is HF_HUB_CACHE, " +
            $"else HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub); download it first, e.g. `hf download {hubId}`, or pass a model directory");

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9_])?(/[A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9_])?)?$")]
    private static partial Regex HubId();
}
