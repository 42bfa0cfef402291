namespace CogLtx.Data;

/// <summary>How a file came to be in the data directory.</summary>
public enum FetchAction
{
    /// <summary>Already there and verified.</summary>
    Present,

    /// <summary>Copied from a local mirror and verified.</summary>
    Copied,

    /// <summary>Downloaded from its public address and verified.</summary>
    Downloaded,
}

/// <summary>One installed file: where it is, how it got there, and how it was verified (digest or record count).</summary>
public sealed record FetchedFile(string Path, FetchAction Action, string Verification);

/// <summary>What a data directory holds of one known dataset.</summary>
public sealed record DatasetStatus(KnownDataset Dataset, DataFileSet? Present, long Bytes);

/// <summary>
/// <c>cogltx data get</c>: puts a known dataset into a data directory. Order: a complete file set already in the
/// directory that verifies → nothing to do; else a complete file set in the local mirror (its dataset folder, or the
/// mirror root) → copy to .part, verify, rename; else the public originals → <see cref="Downloader"/>. Every file is
/// verified before it takes its final name, so an interrupted or wrong fetch never leaves a file that looks good.
/// </summary>
public sealed class DataFetcher(Downloader downloader, Action<string>? log = null)
{
    private readonly Action<string> log = log ?? (_ => { });

    /// <param name="mirrorDirectory">A local mirror (e.g. /work/shared/data) to copy from, or null.</param>
    /// <param name="mirrorRequired">Fail when the mirror lacks the dataset (an explicit <c>--from</c>) instead of downloading.</param>
    public async Task<IReadOnlyList<FetchedFile>> GetAsync(KnownDataset dataset, string dataDirectory, string? mirrorDirectory = null,
        bool mirrorRequired = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var target = dataset.FolderIn(dataDirectory);
        foreach (var set in dataset.FileSets)
        {
            if (!set.Files.All(f => File.Exists(Path.Combine(target, f.FileName)))) continue;
            var present = new List<FetchedFile>();
            foreach (var file in set.Files)
            {
                var path = Path.Combine(target, file.FileName);
                try
                {
                    present.Add(new FetchedFile(path, FetchAction.Present, FileVerifier.Verify(file, path)));
                }
                catch (DataVerificationException e)
                {
                    log($"{path} is present but fails verification ({e.Message}); fetching it again");
                    break;
                }
            }
            if (present.Count == set.Files.Count) return present;
        }

        if (mirrorRequired && mirrorDirectory is not null && !Directory.Exists(mirrorDirectory))
            throw new FileNotFoundException($"mirror directory {mirrorDirectory} does not exist");
        if (mirrorDirectory is not null && !SameDirectory(mirrorDirectory, dataDirectory))
        {
            foreach (var set in dataset.FileSets)
            {
                var sources = set.Files.Select(f => FindInMirror(mirrorDirectory, dataset, f)).ToList();
                if (sources.Any(s => s is null)) continue;
                var copied = new List<FetchedFile>();
                for (var i = 0; i < set.Files.Count; i++)
                    copied.Add(await CopyAsync(sources[i]!, Path.Combine(target, set.Files[i].FileName), set.Files[i], cancellationToken));
                return copied;
            }
            var expected = string.Join(" or ", dataset.FileSets.Select(s => string.Join(" + ", s.Files.Select(f => f.FileName))));
            if (mirrorRequired)
                throw new FileNotFoundException($"mirror {mirrorDirectory} has no complete copy of {dataset.Name}: expected {expected} in {Path.Combine(mirrorDirectory, dataset.Folder)} or {mirrorDirectory}");
            log($"mirror {mirrorDirectory} has no complete copy of {dataset.Name}; downloading");
        }

        var original = dataset.Original;
        if (!original.IsDownloadable) throw new InvalidOperationException($"dataset {dataset.Name} has no public download addresses");
        var downloaded = new List<FetchedFile>();
        foreach (var file in original.Files)
        {
            var destination = Path.Combine(target, file.FileName);
            log($"downloading {file.Url} → {destination}");
            var verification = await downloader.DownloadAsync(file.Url!, destination, part => FileVerifier.Verify(file, part), cancellationToken);
            downloaded.Add(new FetchedFile(destination, FetchAction.Downloaded, verification));
        }
        return downloaded;
    }

    /// <summary>What the data directory holds of every known dataset.</summary>
    public static IReadOnlyList<DatasetStatus> Status(string dataDirectory) => Status(dataDirectory, KnownDatasets.All);

    /// <summary>What the data directory holds of each of <paramref name="datasets"/>.</summary>
    public static IReadOnlyList<DatasetStatus> Status(string dataDirectory, IEnumerable<KnownDataset> datasets) =>
    [
        .. datasets.Select(d =>
        {
            var set = d.Locate(dataDirectory);
            var bytes = set?.Files.Sum(f => new FileInfo(Path.Combine(d.FolderIn(dataDirectory), f.FileName)).Length) ?? 0;
            return new DatasetStatus(d, set, bytes);
        }),
    ];

    private async Task<FetchedFile> CopyAsync(string source, string destination, DataFileSpec spec, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var part = destination + ".part";
        log($"copying {source} → {destination}");
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await input.CopyToAsync(output, cancellationToken);
        string verification;
        try
        {
            verification = FileVerifier.Verify(spec, part);
        }
        catch (DataVerificationException)
        {
            File.Delete(part);
            throw;
        }
        File.Move(part, destination, overwrite: true);
        return new FetchedFile(destination, FetchAction.Copied, verification);
    }

    private static string? FindInMirror(string mirror, KnownDataset dataset, DataFileSpec file) =>
        new[] { Path.Combine(mirror, dataset.Folder, file.FileName), Path.Combine(mirror, file.FileName) }.FirstOrDefault(File.Exists);

    private static bool SameDirectory(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
