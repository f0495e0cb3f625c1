using Kiosk.Node;

namespace Kiosk.Sync;

/// <summary>Configuration section <c>Central</c>: where the kiosk's provider lives.</summary>
public sealed class CentralOptions
{
    public const string Section = "Central";

    /// <summary>Base URL of Central (environment <c>Central__BaseUrl</c>), e.g. http://127.0.0.1:5080/.</summary>
    public Uri? BaseUrl { get; set; }
}

/// <summary>Configuration section <c>Sync</c> (docs/sync-protocol.md, "Kiosk side").</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>This kiosk's id at Central (environment <c>Sync__KioskId</c>); the kiosk node writes the same id into
    /// every request document.</summary>
    public string? KioskId { get; set; }

    /// <summary>This kiosk's credential at Central (environment <c>Sync__Credential</c>), from provisioning. A secret:
    /// sent only in the Authorization header, never logged.</summary>
    public string? Credential { get; set; }

    /// <summary>A one-time enrollment code from Central's operator (environment <c>Sync__EnrollmentCode</c>): used
    /// once, when there is no <see cref="Credential"/> and none stored from an earlier enrollment; the credential it
    /// gives is kept in the kiosk's settings.</summary>
    public string? EnrollmentCode { get; set; }

    /// <summary>How often the worker looks at Central when all is well.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>While waiting for the next round after a good one, how often the worker looks for newly queued requests
    /// (then it starts the round at once: a request signed at the desk reaches Central in about this long). Zero: never.</summary>
    public TimeSpan QueuedCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most any one call to Central may take, its retry and reading the answer included.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most one attempt of a call may take (never more than <see cref="CallTimeout"/>): a read that stalls
    /// is given up in time for its one retry to fit in the call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Envelopes per push (Central takes at most 100).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The first wait after a failure; each further failure doubles it, up to <see cref="RetryMaxDelay"/>,
    /// and a random part of it (jitter) keeps a fleet of kiosks from retrying in step.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts, however many failed.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A difference between the kiosk's clock and Central's beyond which the worker warns.</summary>
    public TimeSpan ClockSkewWarning { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the worker sends Central a heartbeat (outbox depth, oldest age, dead letters, version, free disk, its clock).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal static bool IsValid(SyncOptions o) =>
        o.PollInterval > TimeSpan.Zero && o.CallTimeout > TimeSpan.Zero && o.BatchSize is >= 1 and <= 100
        && o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay && o.ClockSkewWarning > TimeSpan.Zero
        && (string.IsNullOrWhiteSpace(o.KioskId) || KioskIdentity.IsValid(o.KioskId))
        && (string.IsNullOrWhiteSpace(o.Credential) || IsCredential(o.Credential))
        && (o.EnrollmentCode is null || o.EnrollmentCode.Length <= 64);

    /// <summary>A credential's alphabet (base64url, no dot: the last dot of the bearer token ends the kiosk id).</summary>
    internal static bool IsCredential(string value) => value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
