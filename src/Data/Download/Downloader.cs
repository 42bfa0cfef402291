using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CogLtx.Data;

/// <summary>Resilience settings of <see cref="Downloader"/>.</summary>
public sealed record DownloadOptions
{
    /// <summary>Retries after the first attempt (so at most MaxRetries + 1 requests per file).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Delay before the first retry; it doubles each retry (no jitter: runs are reproducible), capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two retries (the back-off doubles up to this).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Limit on one attempt, headers and body together. An attempt that hits it keeps its bytes in the .part file,
    /// so the next attempt resumes rather than restarts.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(20);
}

/// <summary>A download that failed for good (HTTP 4xx, retries exhausted, verification failed); the message says which.</summary>
public sealed class DownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure worth retrying (5xx, 408, 429, short body, bad resume); only ever seen by the retry strategy.</summary>
internal sealed class TransientDownloadException(string message) : Exception(message);

/// <summary>
/// Resumable, verified file downloads. Bytes go to <c>destination.part</c>; every attempt asks for the rest with
/// <c>Range: bytes=N-</c> (N = the .part length) and appends on 206, restarts on 200. A Polly pipeline retries
/// transient failures (connection errors, dropped bodies, 5xx/408/429, per-attempt timeouts) with exponential
/// backoff; 4xx answers fail at once. When the body is complete the verifier runs on the .part file; a file that
/// fails is deleted, one that passes is renamed onto the destination (atomic on one file system), so the
/// destination is either absent or verified.
/// </summary>
public sealed class Downloader
{
    private readonly HttpClient http;
    private readonly DownloadOptions options;
    private readonly Action<string> log;

    /// <param name="http">The client; give it <c>Timeout = Timeout.InfiniteTimeSpan</c> (the per-attempt timeout here replaces it).</param>
    public Downloader(HttpClient http, DownloadOptions? options = null, Action<string>? log = null)
    {
        this.http = http;
        this.options = options ?? new DownloadOptions();
        this.log = log ?? (_ => { });
    }

    /// <summary>Number of HTTP requests sent, for reports and tests.</summary>
    public int Requests { get; private set; }

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>, resuming any earlier .part file.</summary>
    /// <param name="verify">Checks the complete .part file and returns how it was verified; throws when it is wrong.</param>
    public async Task<string> DownloadAsync(Uri url, string destination, Func<string, string> verify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(verify);
        var part = destination + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var attempts = 0;
        try
        {
            await Pipeline().ExecuteAsync(async token =>
            {
                attempts++;
                await AttemptAsync(url, part, token);
            }, cancellationToken);
        }
        catch (Exception e) when (e is TransientDownloadException or HttpRequestException or IOException or TimeoutRejectedException)
        {
            var reason = e is TimeoutRejectedException ? $"attempt timed out after {options.AttemptTimeout}" : e.Message;
            var kept = File.Exists(part) && new FileInfo(part).Length > 0 ? $"; the partial file {part} is kept for resuming" : "";
            throw new DownloadException($"download of {url} failed after {attempts} attempts: {reason}{kept}", e);
        }

        string verification;
        try
        {
            verification = verify(part);
        }
        catch (DataVerificationException e)
        {
            File.Delete(part);
            throw new DownloadException($"download of {url} is not the expected file, deleted it: {e.Message}", e);
        }
        File.Move(part, destination, overwrite: true);
        return verification;
    }

    private ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<TransientDownloadException>()
                .Handle<HttpRequestException>()
                .Handle<IOException>()
                .Handle<TimeoutRejectedException>(),
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = options.FirstRetryDelay,
            MaxDelay = options.MaxRetryDelay,
            UseJitter = false,
            OnRetry = args =>
            {
                var reason = args.Outcome.Exception is TimeoutRejectedException ? $"timed out after {options.AttemptTimeout}" : args.Outcome.Exception?.Message;
                log($"attempt {args.AttemptNumber + 1} failed ({reason}); retrying in {args.RetryDelay.TotalSeconds:0.###} s");
                return default;
            },
        })
        .AddTimeout(options.AttemptTimeout)
        .Build();

    private async ValueTask AttemptAsync(Uri url, string part, CancellationToken token)
    {
        var existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
        Requests++;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        var status = (int)response.StatusCode;
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
        {
            if (range?.Length == existing) return;
            File.Delete(part);
            throw new TransientDownloadException($"server cannot resume at byte {existing:N0} (its size: {range?.Length?.ToString("N0") ?? "unknown"}); restarting");
        }
        if (status is 408 or 429 or >= 500) throw new TransientDownloadException($"HTTP {status} {response.ReasonPhrase} from {url}");
        if (!response.IsSuccessStatusCode) throw new DownloadException($"HTTP {status} {response.ReasonPhrase} for {url} (not retried)");

        var append = response.StatusCode == HttpStatusCode.PartialContent;
        if (append && range?.From != existing)
        {
            File.Delete(part);
            throw new TransientDownloadException($"server resumed at byte {range?.From?.ToString("N0") ?? "?"} instead of {existing:N0}; restarting");
        }
        if (!append && existing > 0) log($"server ignored the range request; restarting {Path.GetFileName(part)} from byte 0");
        var total = append ? range?.Length : response.Content.Headers.ContentLength;
        if (append) log($"resuming {Path.GetFileName(part)} at byte {existing:N0}");

        await using (var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var body = await response.Content.ReadAsStreamAsync(token))
            await body.CopyToAsync(output, token);
        var length = new FileInfo(part).Length;
        if (total is { } expected && length != expected)
            throw new TransientDownloadException($"connection closed after {length:N0} of {expected:N0} bytes");
    }
}
