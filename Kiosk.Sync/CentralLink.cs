using Microsoft.Extensions.Logging;

namespace Kiosk.Sync;

/// <summary>
/// The kiosk's view of whether Central answers, from the outcome of every call. It logs when the link changes (up,
/// down, credential refused, kiosk revoked), not at every failed attempt, so a long outage is a few lines, not a flood.
/// </summary>
public sealed partial class CentralLink(CentralClient central, ILogger<CentralLink> logger)
{
    private bool _reported;
    private string? _problem;

    /// <summary>Null until the first call; then whether the last call got Central's answer.</summary>
    public bool? Online => _reported ? _problem is null : null;

    /// <summary>The last call's problem code (null when it went through).</summary>
    public string? Problem => _problem;

    /// <summary>Looks at Central's readiness only (a kiosk without credentials can do no more).</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var problem = await central.ProbeAsync(cancellationToken);
        Report(problem);
        return problem is null;
    }

    /// <summary>Records a call's outcome: null when Central answered, else the problem code.</summary>
    public void Report(string? problem)
    {
        if (_reported && problem == _problem) return;
        _reported = true;
        _problem = problem;
        var url = central.BaseUrl?.ToString() ?? "(Central:BaseUrl not set)";
        if (problem is null)
        {
            LogOnline(url);
            return;
        }
        switch (problem)
        {
            case "http-401": LogCredentialRefused(url); break;
            case "http-403": LogRevoked(url); break;
            case "no-central" or "unreachable" or "timeout": LogOffline(url, problem); break;
            default:
                if (problem.StartsWith("http-5", StringComparison.Ordinal)) LogOffline(url, problem);
                else LogBadAnswer(url, problem);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Central at {CentralUrl} answers: online")]
    private partial void LogOnline(string centralUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Central at {CentralUrl} does not answer: offline, requests stay queued ({Problem})")]
    private partial void LogOffline(string centralUrl, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Central at {CentralUrl} does not accept this kiosk's credential (401): check Sync:KioskId and Sync:Credential; requests stay queued")]
    private partial void LogCredentialRefused(string centralUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "Central at {CentralUrl} refuses this kiosk: it was revoked (403); requests stay queued")]
    private partial void LogRevoked(string centralUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Central at {CentralUrl} answered a sync call with {Problem}; requests stay queued")]
    private partial void LogBadAnswer(string centralUrl, string problem);
}
