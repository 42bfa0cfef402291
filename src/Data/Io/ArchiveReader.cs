using System.Formats.Tar;
using System.IO.Compression;

namespace CogLtx.Data;

/// <summary>One regular file of an archive: its path inside the archive ('/'-separated) and its bytes.</summary>
internal sealed record ArchiveEntry(string Name, byte[] Data);

/// <summary>
/// Streams the regular files of a .tar.gz, .tar or .zip archive, recognised by content (gzip magic 1F 8B, zip
/// "PK\x03\x04", "ustar" at offset 257), so a reader accepts the public original and a repacked mirror alike.
/// A truncated or corrupt archive is reported once through the <see cref="IssueSink"/>, naming the last entry read;
/// in skip mode the entries before the damage are kept.
/// </summary>
internal static class ArchiveReader
{
    public static IEnumerable<ArchiveEntry> Read(string path, IssueSink sink)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"archive not found: {path}", path);
        var kind = Sniff(path);
        return kind switch
        {
            "gzip" => ReadTar(path, gzip: true, sink),
            "tar" => ReadTar(path, gzip: false, sink),
            "zip" => ReadZip(path, sink),
            _ => throw new DataFormatException(new DataIssue(path, null, null, "not a .tar.gz, .tar or .zip archive (unrecognised first bytes)")),
        };
    }

    private static string Sniff(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[(int)Math.Min(262, stream.Length)];
        stream.ReadExactly(head);
        if (head is [0x1F, 0x8B, ..]) return "gzip";
        if (head is [0x50, 0x4B, 0x03, 0x04, ..]) return "zip";
        if (head.Length >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8)) return "tar";
        return "unknown";
    }

    private static IEnumerable<ArchiveEntry> ReadTar(string path, bool gzip, IssueSink sink)
    {
        using var file = File.OpenRead(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var tar = new TarReader(stream);
        string? last = null;
        while (true)
        {
            ArchiveEntry? next = null;
            var damaged = false;
            try
            {
                var entry = tar.GetNextEntry();
                if (entry is null) break;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    var data = new byte[entry.Length];
                    entry.DataStream?.ReadExactly(data);
                    next = new ArchiveEntry(entry.Name, data);
                }
                last = entry.Name;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException)
            {
                var where = last is null ? "before the first entry" : $"after entry '{last}'";
                sink.Report(new DataIssue(path, null, null, $"archive is truncated or corrupt {where}: {e.Message}; the rest of the archive was not read"), e);
                damaged = true;
            }
            if (damaged) yield break;
            if (next is not null) yield return next;
        }
    }

    private static IEnumerable<ArchiveEntry> ReadZip(string path, IssueSink sink)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(new DataIssue(path, null, null, $"not a readable zip archive (truncated?): {e.Message}"), e);
        }
        using (zip)
        {
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                byte[]? data = null;
                try
                {
                    using var stream = entry.Open();
                    data = new byte[entry.Length];
                    stream.ReadExactly(data);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
                {
                    sink.Report(new DataIssue(path, entry.FullName, null, $"corrupt zip entry: {e.Message}"), e);
                }
                if (data is not null) yield return new ArchiveEntry(entry.FullName, data);
            }
        }
    }
}
