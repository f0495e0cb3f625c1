using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kiosk.Node;
using Kiosk.Sync;
using Kiosk.Tests.Eds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Sync;

/// <summary>
/// Each call to Central under a timeout, a failed read retried once, a write never retried inside the call, and no
/// retry storm while Central fails (issue 4 item 4): against real loopback servers that stall or answer 503, with the
/// real HTTP client pipeline and the real worker process.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class SyncResilienceTests(DemoCaFixture ca)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_stalled_read_ends_at_the_call_timeout_after_one_retry_and_a_stalled_push_after_one_attempt()
    {
        using var central = new FakeCentral(FakeCentral.Behaviour.Stall);
        await using var services = Client(central.BaseUrl, "--Sync:AttemptTimeout=00:00:01", "--Sync:CallTimeout=00:00:04");
        var client = services.GetRequiredService<CentralClient>();

        var read = await client.DecisionsAsync(SyncCentral.Credential, null, CancellationToken.None);

        Assert.Equal("timeout", read.Problem);
        await Eventually.That(() => central.Closed.Count == 2, Patience, central.Describe);
        Assert.Equal(["GET /api/sync/decisions", "GET /api/sync/decisions"], central.Requests);
        // Two attempts within the call's 4 s: the first was given up at its own timeout (1 s) rather than holding the
        // whole call, and the kiosk left the second one too (the server saw the connection close), not left hanging.
        Assert.All(central.Closed, held => Assert.True(held < TimeSpan.FromSeconds(5), $"held {held}"));

        central.Clear();
        var push = await client.PushAsync(SyncCentral.Credential, [new PushEnvelope(Guid.NewGuid().ToString("D"), SyncCentral.KioskId, "e30=", "AA==", DateTimeOffset.UtcNow)],
            CancellationToken.None);

        Assert.Equal("timeout", push.Problem);
        await Eventually.That(() => central.Closed.Count == 1, Patience, central.Describe);
        Assert.Equal(["POST /api/sync/push"], central.Requests);
    }

    [Fact]
    public async Task A_read_that_fails_with_503_is_tried_twice_and_a_push_once()
    {
        using var central = new FakeCentral(FakeCentral.Behaviour.Unavailable);
        await using var services = Client(central.BaseUrl);
        var client = services.GetRequiredService<CentralClient>();

        var read = await client.DecisionsAsync(SyncCentral.Credential, "7", CancellationToken.None);
        var push = await client.PushAsync(SyncCentral.Credential, [], CancellationToken.None);
        var heartbeat = await client.HeartbeatAsync(SyncCentral.Credential, new HeartbeatFigures(0, null, 0, null, null), CancellationToken.None);

        Assert.Equal(("http-503", "http-503", "http-503"), (read.Problem, push.Problem, heartbeat.Problem));
        Assert.Equal(["GET /api/sync/decisions", "GET /api/sync/decisions", "POST /api/sync/push", "POST /api/sync/heartbeat"], central.Requests);
    }

    [Fact]
    public async Task The_worker_gives_up_a_stalled_push_at_its_timeout_and_the_row_stays_queued()
    {
        using var central = new FakeCentral(FakeCentral.Behaviour.Stall);
        using var kiosk = new KioskFile();
        kiosk.Queue(SyncRequests.Take(ca, 1));

        using var worker = kiosk.StartWorker(central.BaseUrl, "--Sync:CallTimeout=00:00:02", "--Sync:AttemptTimeout=00:00:01");

        await Eventually.That(() => kiosk.Rows().Single().Attempts >= 2, Patience, () => worker.Output + "\n" + central.Describe());
        var row = kiosk.Rows().Single();
        Assert.Equal((OutboxStore.Queued, "timeout", null, null), (row.State, row.LastError, row.SentAt, row.RegistrationNumber));
        Assert.All(central.Closed, held => Assert.True(held < TimeSpan.FromSeconds(10), $"held {held}"));
        Assert.All(central.Requests, r => Assert.Equal("POST /api/sync/push", r));
        await worker.WaitForLineAsync("does not answer: offline, requests stay queued (timeout)", Patience);
        // Said once, when the link went down: no line per timed-out attempt (the resilience pipeline's own are off).
        Assert.Single(worker.Lines, l => l.Contains("does not answer", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Lines, l => l.Contains("Polly", StringComparison.Ordinal) || l.Contains("TimeoutRejectedException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_Central_answers_503_the_worker_backs_off_one_push_per_round_instead_of_hammering()
    {
        using var central = new FakeCentral(FakeCentral.Behaviour.Unavailable);
        using var kiosk = new KioskFile();
        kiosk.Queue(SyncRequests.Take(ca, 40));

        using var worker = kiosk.StartWorker(central.BaseUrl, "--Sync:BatchSize=5", "--Sync:RetryBaseDelay=00:00:00.500", "--Sync:RetryMaxDelay=00:00:02");
        await Eventually.That(() => central.Requests.Count >= 1, Patience, () => worker.Output);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var seen = central.Requests.Count;
        var elapsed = window.Elapsed;

        // Waits of at least 0.25, 0.5, then 1 s between rounds: at most 10 rounds fit in 8 s, one push each (no retry
        // of a write, and a failed batch ends the round rather than trying the next 5 of the 40 rows).
        Assert.InRange(seen, 3, 10 + (int)(elapsed - TimeSpan.FromSeconds(8)).TotalSeconds);
        Assert.All(central.Requests, r => Assert.Equal("POST /api/sync/push", r));
        // Every round tried the oldest five again and stopped there: the other 35 were never sent, nothing is lost.
        var rows = kiosk.Rows();
        Assert.All(rows, r => Assert.Equal(OutboxStore.Queued, r.State));
        Assert.All(rows.Take(5), r => Assert.Equal("http-503", r.LastError));
        Assert.All(rows.Skip(5), r => Assert.Equal((0L, (string?)null), ((long)r.Attempts, r.LastError)));
        Assert.True(rows.Max(r => r.Attempts) <= central.Requests.Count, "a row was pushed more often than Central was called");
    }

    private static ServiceProvider Client(Uri central, params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine([$"--Central:BaseUrl={central}", $"--Sync:KioskId={SyncCentral.KioskId}", .. args])
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKioskSync(configuration);
        return services.BuildServiceProvider();
    }
}

/// <summary>
/// A stand-in for Central on a loopback port that never serves: it either reads each request and then stalls
/// (never answers, until the client gives up) or answers every request 503 at once. It notes each request's method
/// and path, and for a stalled one how long the client held the connection before dropping it.
/// </summary>
public sealed class FakeCentral : IDisposable
{
    public enum Behaviour { Stall, Unavailable }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Behaviour _behaviour;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<TimeSpan> _closed = new();

    public FakeCentral(Behaviour behaviour)
    {
        _behaviour = behaviour;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>"METHOD /path" of each request, query left off, in arrival order.</summary>
    public List<string> Requests => [.. _requests];

    /// <summary>For each stalled request the client gave up: how long after its request it closed the connection.</summary>
    public List<TimeSpan> Closed => [.. _closed];

    public void Clear()
    {
        _requests.Clear();
        _closed.Clear();
    }

    public string Describe() => $"requests: {string.Join(", ", Requests)}; closed after: {string.Join(", ", Closed.Select(c => c.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} s";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var received = new MemoryStream();
        try
        {
            // One request per connection: its head, then its whole body (Content-Length or chunked), then the answer
            // or the stall.
            int headEnd;
            while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
                if (!await ReadAsync(stream, buffer, received)) return;
            var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd);
            var line = head[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
            _requests.Enqueue($"{line[0]} {line[1].Split('?')[0]}");
            var length = head.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } cl
                ? int.Parse(cl["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
            var bodyStart = headEnd + 4;
            while (chunked ? IndexOf(received, "0\r\n\r\n"u8, bodyStart) < 0 : received.Length - bodyStart < length)
                if (!await ReadAsync(stream, buffer, received)) return;

            if (_behaviour == Behaviour.Unavailable)
            {
                await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                return;
            }
            var held = Stopwatch.StartNew();
            try
            {
                while (await stream.ReadAsync(buffer, _stop.Token) > 0) { } // nothing comes back until the client leaves
            }
            catch (IOException) // the client reset the connection: it left all the same
            {
            }
            if (!_stop.IsCancellationRequested) _closed.Enqueue(held.Elapsed);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<bool> ReadAsync(NetworkStream stream, byte[] buffer, MemoryStream received)
    {
        var n = await stream.ReadAsync(buffer, _stop.Token);
        received.Write(buffer, 0, n);
        return n > 0;
    }

    private static int IndexOf(MemoryStream data, ReadOnlySpan<byte> what, int from = 0)
    {
        var at = data.GetBuffer().AsSpan(from, (int)data.Length - from).IndexOf(what);
        return at < 0 ? -1 : at + from;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
    }
}
