using System.Collections.Concurrent;
using Kiosk.Core.Requests;
using Kiosk.Core.Staff;
using Kiosk.Web.Staff;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Desk;

/// <summary>
/// The citizen a registrar is serving (regulation diagram 2), from the registry look-up to the result: the service,
/// the registry's record, the form once filled, the signed request once queued. <see cref="RequestId"/> is made at the
/// look-up and kept while the registrar corrects the form or retries the signature: the request's idempotency key.
/// Personal data: kept in the node's memory for the staff session only, never in a URL, a cookie or a log.
/// </summary>
public sealed record DeskCase(Guid RequestId, string Service, DeskCitizen Citizen, DateTimeOffset StartedAt)
{
    /// <summary>The registrar confirmed the person's identity document against the registry's name and birth date.</summary>
    public bool IdentityChecked { get; init; }

    /// <summary>The form's result, ready to sign; null until the form is complete.</summary>
    public RequestDetails? Details { get; init; }

    /// <summary>When the request was signed and queued; null before.</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>The case's running step clocks of table 2 (form, signing; <see cref="DeskStepClock"/>).</summary>
    public Kiosk.Web.Feedback.StepClocks Clocks { get; init; } = Kiosk.Web.Feedback.StepClocks.Empty;

    public override string ToString() => $"DeskCase {{ RequestId = {RequestId:D}, Service = {Service} }}";
}

/// <summary>
/// The desk's cases, one per staff session (keyed by its random <see cref="StaffClaims.Session"/> id), in memory: a
/// restart or the end of the session forgets them, as it should. A case left untouched for the staff session's idle
/// period is dropped with it. Bounded: a node has a handful of desks.
/// </summary>
public sealed class DeskCases(IOptions<StaffSessionOptions> options, TimeProvider time)
{
    private const int MaxCases = 1000;
    private readonly ConcurrentDictionary<string, (DeskCase Case, DateTimeOffset Touched)> _cases = new(StringComparer.Ordinal);

    public DeskCase? Get(HttpContext http)
    {
        if (Key(http) is not { } key || !_cases.TryGetValue(key, out var entry)) return null;
        var now = time.GetUtcNow();
        if (now - entry.Touched > TimeSpan.FromMinutes(options.Value.IdleMinutes))
        {
            _cases.TryRemove(key, out _);
            return null;
        }
        _cases[key] = (entry.Case, now);
        return entry.Case;
    }

    public void Set(HttpContext http, DeskCase value)
    {
        if (Key(http) is not { } key) return;
        var now = time.GetUtcNow();
        if (_cases.Count >= MaxCases)
            foreach (var (k, v) in _cases)
                if (now - v.Touched > TimeSpan.FromMinutes(options.Value.IdleMinutes)) _cases.TryRemove(k, out _);
        _cases[key] = (value, now);
    }

    public void Clear(HttpContext http)
    {
        if (Key(http) is { } key) _cases.TryRemove(key, out _);
    }

    private static string? Key(HttpContext http) => StaffClaims.SessionOf(http.User);
}
