using System.Security.Cryptography;

namespace CogLtx.Data;

/// <summary>A fetched file is not the expected one; the message names the file, what was expected and what was found.</summary>
public sealed class DataVerificationException(string message) : Exception(message);

/// <summary>
/// Verifies a dataset file against its <see cref="DataFileSpec"/>: a matching MD5 or SHA-256 digest, else a
/// passing content check (record count), else rejection. Digests come first because they are cheap and exact;
/// the content check covers repacks and originals whose digest is not published.
/// </summary>
public static class FileVerifier
{
    /// <summary>Verifies <paramref name="path"/> (which may be a .part file) and says how; throws <see cref="DataVerificationException"/> otherwise.</summary>
    public static string Verify(DataFileSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? md5 = null, sha256 = null;
        if (spec.Md5.Count > 0)
        {
            md5 = Md5(path);
            if (spec.Md5.Contains(md5, StringComparer.OrdinalIgnoreCase)) return $"md5 {md5}";
        }
        if (spec.Sha256.Count > 0)
        {
            sha256 = Sha256(path);
            if (spec.Sha256.Contains(sha256, StringComparer.OrdinalIgnoreCase)) return $"sha256 {sha256}";
        }
        if (spec.CountRecords is { } count && spec.ExpectedRecords is { } expected)
        {
            int found;
            try
            {
                found = count(path);
            }
            catch (Exception e) when (e is DataFormatException or IOException or FormatException)
            {
                throw new DataVerificationException($"{spec.FileName}: content check failed: {e.Message}");
            }
            if (found == expected) return $"{found:N0} {spec.RecordNoun}";
            throw new DataVerificationException($"{spec.FileName}: content check failed: expected {expected:N0} {spec.RecordNoun}, found {found:N0}");
        }
        if (md5 is not null || sha256 is not null)
        {
            var wanted = string.Join(" or ", spec.Md5.Select(d => $"md5 {d}").Concat(spec.Sha256.Select(d => $"sha256 {d}")));
            var got = string.Join(", ", new[] { md5 is null ? null : $"md5 {md5}", sha256 is null ? null : $"sha256 {sha256}" }.OfType<string>());
            throw new DataVerificationException($"{spec.FileName}: checksum mismatch: expected {wanted}, got {got}");
        }
        throw new DataVerificationException($"{spec.FileName}: no checksum or content check is defined, so the file cannot be verified");
    }

    /// <summary>MD5 digest of a file, lower-case hex.</summary>
    public static string Md5(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    /// <summary>SHA-256 digest of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
