using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kiosk.Node;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Kiosk.Sync;

/// <summary>One call's outcome: the answer, or why there is none (<see cref="CentralClient"/>'s problem codes).</summary>
public readonly record struct CallResult<T>(T? Value, string? Problem) where T : class
{
    public bool Ok => Problem is null;

    public static CallResult<T> Failed(string problem) => new(null, problem);
}

/// <summary>One signed request as the kiosk sends it (docs/sync-protocol.md §2).</summary>
public sealed record PushEnvelope(string RequestId, string KioskId, string Document, string Signature, DateTimeOffset CreatedAt);

/// <summary>Central's answer for one envelope; <paramref name="Json"/> is that item exactly as Central wrote it.</summary>
public sealed record PushItemResult(string? RequestId, string? Status, string? RegistrationNumber, string? Reason, string Json);

/// <summary>A push's answers, Central's clock, and when the call left and came back by the kiosk's clock.</summary>
public sealed record PushResult(IReadOnlyList<PushItemResult> Results, DateTimeOffset? ServerTime, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

public sealed record HeartbeatFigures(long OutboxDepth, long? OldestPendingSeconds, long DeadLetters, string? Version, long? FreeDiskBytes);

public sealed record HeartbeatResult(DateTimeOffset ServerTime, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

/// <summary>A conditional GET's answer: <see cref="Value"/> null when unchanged (304).</summary>
public sealed record Changed<T>(T? Value, string? ETag) where T : class;

public sealed record DecisionsPage(IReadOnlyList<KioskDecision> Decisions, string Next, bool More);

/// <summary>
/// The kiosk's HTTP calls to Central's sync API (docs/sync-protocol.md), each under <see cref="SyncOptions.CallTimeout"/>
/// and (but enrollment) authenticated with <c>Authorization: Bearer &lt;kioskId&gt;.&lt;credential&gt;</c>. A call never throws for a
/// network or protocol problem; it answers one of the problem codes <c>no-central</c> (no base URL), <c>unreachable</c>,
/// <c>timeout</c>, <c>http-&lt;status&gt;</c> or <c>bad-answer</c>. The HTTP client's resilience pipeline
/// (<see cref="SyncServiceCollectionExtensions.ConfigureCalls"/>) gives each attempt a timeout and a failed read one
/// quick retry; writes are not retried here: the caller decides when to try again (the outbox keeps every attempt).
/// </summary>
public sealed class CentralClient(IHttpClientFactory factory, IOptions<CentralOptions> central, IOptions<SyncOptions> sync, TimeProvider time)
{
    public const string HttpClientName = "Central";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri? BaseUrl => central.Value.BaseUrl;

    /// <summary>Central's readiness (<c>GET /health/ready</c>, no credential): null when ready, else the problem.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return "no-central";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, "health/ready"));
        var result = await SendAsync<string>(request, (_, _) => Task.FromResult<string?>(""), cancellationToken);
        return result.Problem;
    }

    /// <summary><c>POST /api/sync/enroll</c> with a one-time code: the kiosk's new credential.</summary>
    public async Task<CallResult<string>> EnrollAsync(string kioskId, string enrollmentCode, CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return CallResult<string>.Failed("no-central");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, "api/sync/enroll"));
        request.Content = JsonContent.Create(new { kioskId, enrollmentCode }, options: Json);
        return await SendAsync<string>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return Text(document.RootElement, "credential") is { } credential && SyncOptions.IsCredential(credential) ? credential : null;
        }, cancellationToken);
    }

    /// <summary><c>POST /api/sync/push</c>: one answer per envelope, and Central's clock.</summary>
    public async Task<CallResult<PushResult>> PushAsync(string credential, IReadOnlyList<PushEnvelope> envelopes, CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return CallResult<PushResult>.Failed("no-central");
        using var request = Authorized(HttpMethod.Post, "api/sync/push", credential);
        request.Content = JsonContent.Create(new { envelopes }, options: Json);
        var sentAt = time.GetUtcNow();
        return await SendAsync<PushResult>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                return null;
            var items = results.EnumerateArray()
                .Select(r => new PushItemResult(Text(r, "requestId"), Text(r, "status"), Text(r, "registrationNumber"), Text(r, "reason"), r.GetRawText()))
                .ToList();
            DateTimeOffset? serverTime = Text(root, "serverTime") is { } s
                && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            return new PushResult(items, serverTime, sentAt, time.GetUtcNow());
        }, cancellationToken);
    }

    /// <summary><c>POST /api/sync/heartbeat</c>: the kiosk's figures and clock; the answer carries Central's clock.</summary>
    public async Task<CallResult<HeartbeatResult>> HeartbeatAsync(string credential, HeartbeatFigures figures, CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return CallResult<HeartbeatResult>.Failed("no-central");
        using var request = Authorized(HttpMethod.Post, "api/sync/heartbeat", credential);
        var sentAt = time.GetUtcNow();
        request.Content = JsonContent.Create(new
        {
            figures.OutboxDepth, figures.OldestPendingSeconds, figures.DeadLetters, figures.Version, figures.FreeDiskBytes, kioskTime = sentAt,
        }, options: Json);
        return await SendAsync<HeartbeatResult>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return Text(document.RootElement, "serverTime") is { } s
                   && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var serverTime)
                ? new HeartbeatResult(serverTime, sentAt, time.GetUtcNow())
                : null;
        }, cancellationToken);
    }

    /// <summary><c>GET /api/sync/decisions?since=</c>: one page of decisions after the cursor (null: from the start).</summary>
    public async Task<CallResult<DecisionsPage>> DecisionsAsync(string credential, string? since, CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return CallResult<DecisionsPage>.Failed("no-central");
        using var request = Authorized(HttpMethod.Get, "api/sync/decisions" + (since is null ? "" : "?since=" + Uri.EscapeDataString(since)), credential);
        return await SendAsync<DecisionsPage>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("decisions", out var list) || list.ValueKind != JsonValueKind.Array
                || Text(root, "next") is not { Length: > 0 } next)
                return null;
            var more = root.TryGetProperty("more", out var m) && m.ValueKind == JsonValueKind.True;
            var decisions = new List<KioskDecision>();
            foreach (var d in list.EnumerateArray())
            {
                // A decision the kiosk cannot read refuses the whole page: the cursor must not move past it.
                if (!Guid.TryParse(Text(d, "requestId"), out var requestId)
                    || Text(d, "registrationNumber") is not { Length: > 0 } number
                    || Text(d, "status") is not { Length: > 0 } status
                    || !DateTimeOffset.TryParse(Text(d, "decidedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var decidedAt))
                    return null;
                var visit = d.TryGetProperty("visit", out var v) && v.ValueKind == JsonValueKind.Object ? v : (JsonElement?)null;
                decisions.Add(new KioskDecision
                {
                    RequestId = requestId,
                    RegistrationNumber = number,
                    Kind = Text(d, "kind") ?? "",
                    Status = status,
                    Reason = Text(d, "reason"),
                    Messages = d.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Object ? messages.GetRawText() : null,
                    VisitDate = visit is { } vd ? Text(vd, "date") : null,
                    VisitFrom = visit is { } vf ? Text(vf, "from") : null,
                    VisitTo = visit is { } vt ? Text(vt, "to") : null,
                    DecidedAt = decidedAt,
                    SlipToken = Text(d, "slipToken"),
                    // A refused booking's offered slots (docs/appointments-and-attachment.md), kept as Central wrote them.
                    Alternatives = d.TryGetProperty("alternatives", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array
                                   && alternatives.GetArrayLength() > 0 ? alternatives.GetRawText() : null,
                });
            }
            return new DecisionsPage(decisions, next, more);
        }, cancellationToken);
    }

    /// <summary>An authenticated GET of Central's sync API (e.g. <c>api/sync/reference?since=</c>, see ReferencePull), its JSON
    /// answer read by <paramref name="read"/> (null from it: <c>bad-answer</c>).</summary>
    public async Task<CallResult<T>> GetJsonAsync<T>(string credential, string pathAndQuery, Func<JsonElement, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        if (BaseUrl is null) return CallResult<T>.Failed("no-central");
        using var request = Authorized(HttpMethod.Get, pathAndQuery, credential);
        return await SendAsync<T>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return read(document.RootElement);
        }, cancellationToken);
    }

    /// <summary>
    /// An authenticated GET with <c>If-None-Match: <paramref name="etag"/></c>: the answer read by
    /// <paramref name="read"/> and its new ETag, or (null, the same ETag) when Central says 304 Not Modified.
    /// </summary>
    public async Task<CallResult<Changed<T>>> GetJsonIfChangedAsync<T>(string credential, string pathAndQuery, string? etag,
        Func<JsonElement, T?> read, CancellationToken cancellationToken) where T : class
    {
        if (BaseUrl is null) return CallResult<Changed<T>>.Failed("no-central");
        using var request = Authorized(HttpMethod.Get, pathAndQuery, credential);
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
        return await SendAsync<Changed<T>>(request, async (response, token) =>
        {
            if (response.StatusCode == System.Net.HttpStatusCode.NotModified) return new Changed<T>(null, etag);
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return read(document.RootElement) is { } value ? new Changed<T>(value, response.Headers.ETag?.ToString()) : null;
        }, cancellationToken, acceptNotModified: true);
    }

    /// <summary>An authenticated PUT of a JSON body to Central's sync API (e.g. <c>api/sync/device-key</c>); true when Central took it.</summary>
    public async Task<CallResult<string>> PutJsonAsync<TBody>(string credential, string path, TBody body, CancellationToken cancellationToken)
    {
        if (BaseUrl is null) return CallResult<string>.Failed("no-central");
        using var request = Authorized(HttpMethod.Put, path, credential);
        request.Content = JsonContent.Create(body);
        return await SendAsync<string>(request, (_, _) => Task.FromResult<string?>("ok"), cancellationToken);
    }

    /// <summary>An authenticated POST of a JSON body already written (e.g. <c>api/sync/feedback</c>, see FeedbackPush), its JSON
    /// answer read by <paramref name="read"/> (null from it: <c>bad-answer</c>). Not retried inside the call, like every write.</summary>
    public async Task<CallResult<T>> PostJsonAsync<T>(string credential, string path, byte[] utf8Json, Func<JsonElement, T?> read,
        CancellationToken cancellationToken) where T : class
    {
        if (BaseUrl is null) return CallResult<T>.Failed("no-central");
        using var request = Authorized(HttpMethod.Post, path, credential);
        request.Content = new ByteArrayContent(utf8Json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } };
        return await SendAsync<T>(request, async (response, token) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return read(document.RootElement);
        }, cancellationToken);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path, string credential)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUrl!, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{sync.Value.KioskId}.{credential}");
        return request;
    }

    private async Task<CallResult<T>> SendAsync<T>(
        HttpRequestMessage request, Func<HttpResponseMessage, CancellationToken, Task<T?>> read, CancellationToken cancellationToken,
        bool acceptNotModified = false) where T : class
    {
        // The timeout covers the whole call, reading the answer included.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(sync.Value.CallTimeout);
        try
        {
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode && !(acceptNotModified && response.StatusCode == System.Net.HttpStatusCode.NotModified))
                return CallResult<T>.Failed("http-" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            var value = await read(response, timeout.Token);
            return value is null ? CallResult<T>.Failed("bad-answer") : new CallResult<T>(value, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallResult<T>.Failed("timeout");
        }
        catch (TimeoutRejectedException) // the resilience pipeline's call or attempt timeout (SyncServiceCollectionExtensions)
        {
            return CallResult<T>.Failed("timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return CallResult<T>.Failed("unreachable");
        }
        catch (JsonException)
        {
            return CallResult<T>.Failed("bad-answer");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
