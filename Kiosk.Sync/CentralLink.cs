using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kiosk.Sync;

/// <summary>
/// The kiosk's view of whether Central answers. For now the worker only watches the link and logs when it goes up
/// or down; pushing the outbox and pulling decisions build on this (issue 4).
/// </summary>
public sealed partial class CentralLink(HttpClient http, IOptions<CentralOptions> central, ILogger<CentralLink> logger)
{
    public bool? Online { get; private set; }

    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var baseUrl = central.Value.BaseUrl;
        bool online;
        if (baseUrl is null)
        {
            online = false;
        }
        else
        {
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "health/ready"), cancellationToken);
                online = response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                online = false;
            }
        }
        if (online != Online)
        {
            if (online) LogOnline(baseUrl!);
            else LogOffline(baseUrl?.ToString() ?? "(Central:BaseUrl not set)");
            Online = online;
        }
        return online;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Central at {CentralUrl} answers: online")]
    private partial void LogOnline(Uri centralUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Central at {CentralUrl} does not answer: offline, requests stay queued")]
    private partial void LogOffline(string centralUrl);
}
