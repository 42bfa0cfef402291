using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CogLtx.Data.Tests;

/// <summary>One request as the server saw it: its 1-based number, path and Range header (null when absent).</summary>
internal sealed record SeenRequest(int Number, string Path, string? Range);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for downloader tests. Each connection carries one
/// request (<c>Connection: close</c>); a handler decides the answer and may misbehave (drop the connection mid-body,
/// stall). A handler returns true to drop the connection abruptly (RST) instead of closing it. Bounded: it stops
/// when disposed or after 60 s, whichever comes first.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new(TimeSpan.FromSeconds(60));
    private readonly Func<SeenRequest, Stream, CancellationToken, Task<bool>> handler;
    private readonly Task loop;
    private int count;

    public LocalHttpServer(Func<SeenRequest, Stream, CancellationToken, Task<bool>> handler)
    {
        this.handler = handler;
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/{path}");

    /// <summary>
    /// Answers 200 with the whole body, or 206 with the tail when a <c>Range: bytes=N-</c> header is present. With
    /// <paramref name="dropAfter"/>, sends only that many body bytes, gives the client a moment to read them, and asks
    /// for the connection to be dropped.
    /// </summary>
    public static async Task<bool> ServeAsync(SeenRequest request, Stream stream, byte[] body, CancellationToken token, int? dropAfter = null)
    {
        var from = request.Range is { } range ? long.Parse(range["bytes=".Length..].TrimEnd('-')) : 0;
        var header = from > 0
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{body.Length - 1}/{body.Length}\r\nContent-Length: {body.Length - from}\r\n"
            : $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header + "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n"), token);
        var slice = body.AsMemory((int)from);
        if (dropAfter is { } drop) slice = slice[..Math.Min(drop, slice.Length)];
        await stream.WriteAsync(slice, token);
        await stream.FlushAsync(token);
        if (dropAfter is null) return false;
        await Task.Delay(200, token);
        return true;
    }

    public static async Task<bool> StatusAsync(Stream stream, int status, string reason, CancellationToken token)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), token);
        return false;
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, stop.Token);
                var lines = head.Split("\r\n");
                var path = lines[0].Split(' ')[1].TrimStart('/');
                var range = lines.Skip(1).Where(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
                    .Select(l => l["Range:".Length..].Trim()).FirstOrDefault();
                var request = new SeenRequest(Interlocked.Increment(ref count), path, range);
                Requests.Enqueue(request);
                if (await handler(request, stream, stop.Token))
                {
                    // A zero linger makes the close send RST: a connection dropped mid-body, as on a flaky network.
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the server is stopping: nothing to answer.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken token)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 4 || !(bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, token) == 0) throw new IOException("client closed before the request ended");
            bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. bytes]);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
