using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kiosk.Core.Identity;
using Kiosk.Node;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Central;

/// <summary>The kiosk node's view of Central for the registry lookup: <c>Central:BaseUrl</c> and the lookup's timeout.</summary>
public sealed class RegistryLookupOptions
{
    /// <summary>Central's base URL (environment <c>Central__BaseUrl</c>); unset: no lookup, the citizen types the address.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The most a lookup may take (<c>Central:LookupTimeout</c>): the form waits for it, so keep it short.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The population registry's address of a citizen, as Central gave it, with the clinic they are attached to
/// now (null: none; issue 5's appointment and attachment screens).</summary>
public sealed record RegistryAddress(string Address, string District, long? ClinicId = null)
{
    /// <summary>Only whether there is an attachment: the rest is personal.</summary>
    public override string ToString() => $"RegistryAddress {{ Attached = {ClinicId is not null} }}";
}

/// <summary>
/// Asks Central for the registry's address of the citizen signed in at this kiosk, to pre-fill the home-call form
/// (issue 4 item 1; <c>POST /api/sync/registry/address</c>, docs/sync-protocol.md). The kiosk holds no registry: when
/// Central is not configured, not reachable within <see cref="RegistryLookupOptions.LookupTimeout"/>, refuses, or
/// has nobody with that IIN, the answer is null and the citizen types the address. The IIN goes in the body, never
/// in a URL or a log line. Authenticated as the sync worker is: <c>Sync:KioskId</c> with <c>Sync:Credential</c>, or
/// the credential an enrollment stored in the kiosk's settings.
/// </summary>
public sealed partial class RegistryAddressLookup(
    IHttpClientFactory factory, IOptions<RegistryLookupOptions> options, IConfiguration configuration, KioskSettings settings,
    ILogger<RegistryAddressLookup> logger)
{
    public const string HttpClientName = "CentralRegistry";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string? _lastProblem;

    public async Task<RegistryAddress?> FindAsync(Iin iin, CancellationToken cancellationToken) =>
        (await LookupAsync(iin, cancellationToken)).Person;

    /// <summary>
    /// The registry's answer with whether Central answered at all: <c>Answered</c> false means Central is not
    /// configured, not reachable or refused (the screens then fall back to what the kiosk knows); true with a null
    /// <c>Person</c> means the registry has nobody with that IIN.
    /// </summary>
    public async Task<(bool Answered, RegistryAddress? Person)> LookupAsync(Iin iin, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var kioskId = configuration["Sync:KioskId"]?.Trim();
        if (o.BaseUrl is null || string.IsNullOrEmpty(kioskId)) return (false, null);
        var credential = configuration["Sync:Credential"]?.Trim();
        if (string.IsNullOrEmpty(credential)) credential = settings.Get(KioskSettings.CredentialPrefix + kioskId);
        if (string.IsNullOrEmpty(credential)) return Problem("no-credential");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.LookupTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.BaseUrl, "api/sync/registry/address"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{kioskId}.{credential}");
            request.Content = JsonContent.Create(new { iin = iin.Value }, options: Json);
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return Found(null);
            if (!response.IsSuccessStatusCode) return Problem("http-" + (int)response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<RegistryAddress>(Json, timeout.Token);
            return answer is { Address.Length: > 0, District: not null } ? Found(answer) : Problem("bad-answer");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Problem("timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or NotSupportedException)
        {
            return Problem("unreachable");
        }
    }

    private (bool, RegistryAddress?) Found(RegistryAddress? address)
    {
        _lastProblem = null;
        return (true, address);
    }

    /// <summary>Logs a problem once while it lasts (a long outage is one line), never the citizen.</summary>
    private (bool, RegistryAddress?) Problem(string problem)
    {
        if (_lastProblem != problem) LogUnavailable(problem);
        _lastProblem = problem;
        return (false, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The registry address cannot be looked up at Central ({Problem}): citizens type their address and choose their clinic")]
    private partial void LogUnavailable(string problem);
}

public static class RegistryAddressLookupExtensions
{
    public static IServiceCollection AddRegistryAddressLookup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistryLookupOptions>()
            .Bind(configuration.GetSection("Central"))
            .Validate(o => o.LookupTimeout > TimeSpan.Zero && o.LookupTimeout <= TimeSpan.FromSeconds(30), "Central:LookupTimeout must be between 0 and 30 s.")
            .ValidateOnStart();
        services.TryAddSingleton<KioskSettings>();
        services.AddHttpClient(RegistryAddressLookup.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<RegistryLookupOptions>>().Value.LookupTimeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<RegistryAddressLookup>();
        return services;
    }
}
