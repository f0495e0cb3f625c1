using Kiosk.Node;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// The credential the worker authenticates with: <c>Sync:Credential</c> when it is configured (provisioning); else
/// the one an earlier enrollment stored in the kiosk's settings; else it enrolls now with the one-time
/// <c>Sync:EnrollmentCode</c> (<c>POST /api/sync/enroll</c>) and stores what Central gives. A worker killed between
/// Central's answer and the store has spent its code: the operator gives a new one. The credential is never logged.
/// </summary>
public sealed partial class KioskCredentials(
    CentralClient central, KioskSettings settings, IOptions<SyncOptions> options, TimeProvider time, ILogger<KioskCredentials> logger)
{
    private string? _enrolled;
    private string? _lastProblem;
    private bool _saidMissing;

    /// <summary>The credential, or null with the problem of a failed enrollment (null when there is simply none).</summary>
    public async Task<(string? Credential, string? Problem)> ResolveAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.KioskId)) return (null, null);
        if (!string.IsNullOrWhiteSpace(o.Credential)) return (o.Credential, null);
        var key = KioskSettings.CredentialPrefix + o.KioskId;
        _enrolled ??= settings.Get(key);
        if (_enrolled is not null) return (_enrolled, null);
        if (string.IsNullOrWhiteSpace(o.EnrollmentCode))
        {
            if (!_saidMissing) LogNoCredential(o.KioskId);
            _saidMissing = true;
            return (null, null);
        }
        var result = await central.EnrollAsync(o.KioskId, o.EnrollmentCode, cancellationToken);
        if (!result.Ok)
        {
            if (result.Problem != _lastProblem) LogEnrollmentFailed(o.KioskId, result.Problem!);
            _lastProblem = result.Problem;
            return (null, result.Problem);
        }
        settings.Set(time.GetUtcNow(), (key, result.Value!));
        _enrolled = result.Value;
        LogEnrolled(o.KioskId);
        return (_enrolled, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kiosk {KioskId} has no credential: set Sync:Credential, or Sync:EnrollmentCode to enroll; requests stay queued")]
    private partial void LogNoCredential(string kioskId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kiosk {KioskId} could not enroll at Central ({Problem}); http-401 means an unknown kiosk, a wrong, used or expired code, or a revoked kiosk: ask the operator for a new code")]
    private partial void LogEnrollmentFailed(string kioskId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolled at Central as kiosk {KioskId}; the credential is kept in the kiosk's settings")]
    private partial void LogEnrolled(string kioskId);
}
