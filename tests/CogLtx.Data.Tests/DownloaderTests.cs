using System.Diagnostics;
using System.Security.Cryptography;

namespace CogLtx.Data.Tests;

/// <summary>The downloader against a local HTTP server that drops, stalls, refuses and serves wrong bytes.</summary>
public sealed class DownloaderTests
{
    private static readonly DownloadOptions Fast = new()
    {
        MaxRetries = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    private static byte[] Body(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static HttpClient Client() => new() { Timeout = Timeout.InfiniteTimeSpan };

    private static Func<string, string> Sha256Of(byte[] body) => path =>
        FileVerifier.Verify(new DataFileSpec("file.bin", null) { Sha256 = [Convert.ToHexStringLower(SHA256.HashData(body))] }, path);

    [Fact]
    public async Task Download_ConnectionDroppedMidBody_ResumesWithRangeAndVerifies()
    {
        var body = Body(300_000);
        await using var server = new LocalHttpServer((request, stream, token) =>
            LocalHttpServer.ServeAsync(request, stream, body, token, dropAfter: request.Number == 1 ? 100_000 : null));
        using var temp = new TempDir();
        using var http = Client();
        var log = new List<string>();
        var downloader = new Downloader(http, Fast, log.Add);
        var destination = temp.File("file.bin");

        var verification = await downloader.DownloadAsync(server.Url("file.bin"), destination, Sha256Of(body));

        Assert.Equal(body, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".part"));
        Assert.StartsWith("sha256 ", verification);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Null(requests[0].Range);
        // The second request asks only for what the first did not deliver.
        var resumedAt = long.Parse(requests[1].Range!["bytes=".Length..].TrimEnd('-'));
        Assert.InRange(resumedAt, 1, 100_000);
        Assert.Contains(log, l => l.StartsWith("resuming file.bin.part at byte", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_PartFileFromAnEarlierRun_IsResumedNotRestarted()
    {
        var body = Body(50_000);
        await using var server = new LocalHttpServer((request, stream, token) => LocalHttpServer.ServeAsync(request, stream, body, token));
        using var temp = new TempDir();
        using var http = Client();
        var destination = temp.File("file.bin");
        await File.WriteAllBytesAsync(destination + ".part", body[..12_345]);

        await new Downloader(http, Fast).DownloadAsync(server.Url("file.bin"), destination, Sha256Of(body));

        Assert.Equal("bytes=12345-", Assert.Single(server.Requests).Range);
        Assert.Equal(body, await File.ReadAllBytesAsync(destination));
    }

    [Fact]
    public async Task Download_ChecksumMismatch_FailsClearlyAndLeavesNoFile()
    {
        var body = Body(10_000);
        await using var server = new LocalHttpServer((request, stream, token) => LocalHttpServer.ServeAsync(request, stream, body, token));
        using var temp = new TempDir();
        using var http = Client();
        var destination = temp.File("file.bin");
        var wrong = new string('0', 64);
        string Verify(string path) => FileVerifier.Verify(new DataFileSpec("file.bin", null) { Sha256 = [wrong] }, path);

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(http, Fast).DownloadAsync(server.Url("file.bin"), destination, Verify));

        Assert.Contains($"file.bin: checksum mismatch: expected sha256 {wrong}, got sha256 {Convert.ToHexStringLower(SHA256.HashData(body))}", error.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".part"));
    }

    [Fact]
    public async Task Download_NotFound_FailsAtOnceWithoutRetrying()
    {
        await using var server = new LocalHttpServer((_, stream, token) => LocalHttpServer.StatusAsync(stream, 404, "Not Found", token));
        using var temp = new TempDir();
        using var http = Client();
        var url = server.Url("missing.bin");

        var error = await Assert.ThrowsAsync<DownloadException>(() => new Downloader(http, Fast).DownloadAsync(url, temp.File("missing.bin"), _ => "ok"));

        Assert.Equal($"HTTP 404 Not Found for {url} (not retried)", error.Message);
        Assert.Single(server.Requests);
        Assert.False(File.Exists(temp.File("missing.bin")));
    }

    [Fact]
    public async Task Download_ServerErrors_AreRetriedWithBackoff()
    {
        var body = Body(1_000);
        await using var server = new LocalHttpServer((request, stream, token) => request.Number <= 2
            ? LocalHttpServer.StatusAsync(stream, 503, "Service Unavailable", token)
            : LocalHttpServer.ServeAsync(request, stream, body, token));
        using var temp = new TempDir();
        using var http = Client();
        var log = new List<string>();

        await new Downloader(http, Fast, log.Add).DownloadAsync(server.Url("file.bin"), temp.File("file.bin"), Sha256Of(body));

        Assert.Equal(3, server.Requests.Count);
        // Exponential backoff: 20 ms, then 40 ms.
        Assert.Equal(["retrying in 0.02 s", "retrying in 0.04 s"], log.Where(l => l.Contains("retrying")).Select(l => l[l.IndexOf("retrying", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task Download_StalledAttempt_TimesOutAndTheRetrySucceeds()
    {
        var body = Body(5_000);
        await using var server = new LocalHttpServer(async (request, stream, token) =>
        {
            if (request.Number == 1) await Task.Delay(Timeout.Infinite, token);
            return await LocalHttpServer.ServeAsync(request, stream, body, token);
        });
        using var temp = new TempDir();
        using var http = Client();
        var log = new List<string>();
        var options = Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        var downloader = new Downloader(http, options, log.Add);

        await downloader.DownloadAsync(server.Url("file.bin"), temp.File("file.bin"), Sha256Of(body));

        Assert.Equal(2, downloader.Requests);
        Assert.Contains(log, l => l.StartsWith("attempt 1 failed (timed out after 00:00:00.3000000)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_AlwaysStalling_FailsAfterAllAttemptsSayingItTimedOut()
    {
        await using var server = new LocalHttpServer(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return false;
        });
        using var temp = new TempDir();
        using var http = Client();
        var options = Fast with { MaxRetries = 2, AttemptTimeout = TimeSpan.FromMilliseconds(200) };
        var downloader = new Downloader(http, options);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(server.Url("slow.bin"), temp.File("slow.bin"), _ => "ok"));

        Assert.StartsWith($"download of {server.Url("slow.bin")} failed after 3 attempts: attempt timed out after 00:00:00.2000000", error.Message);
        // Three requests sent; on a loaded machine the last may time out before the server has read it.
        Assert.Equal(3, downloader.Requests);
        Assert.InRange(server.Requests.Count, 2, 3);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
