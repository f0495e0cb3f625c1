using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kiosk.Core.Identity;
using Kiosk.Node;
using Kiosk.Web.Central;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Desk;

/// <summary>The desk's settings (section <c>Desk</c>).</summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    /// <summary>The most a registry look-up may take (regulation table 2: up to 1.5 min; a live link answers in well under a second).</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The population registry's record of the citizen in front of the registrar (session only: all of it is personal).</summary>
public sealed record DeskCitizen(Iin Iin, string Surname, string FirstName, string? Patronymic, DateOnly BirthDate, string Sex, string Address,
    string District, long? ClinicId)
{
    /// <summary>As the registry writes it, for the request document: surname, first name, patronymic.</summary>
    public string FullName => string.Join(' ', new[] { Surname, FirstName, Patronymic }.Where(p => !string.IsNullOrWhiteSpace(p)));

    public override string ToString() => "DeskCitizen { … }";
}

public enum DeskLookupOutcome
{
    Found,

    /// <summary>The registry has nobody with this IIN (process 4).</summary>
    NotInRegistry,

    /// <summary>The registry records the person's death (process 4).</summary>
    Deceased,

    /// <summary>Central could not be asked: not configured, unreachable, too slow, refusing (process 4: the data cannot be obtained).</summary>
    Unavailable,
}

public sealed record DeskLookup(DeskLookupOutcome Outcome, DeskCitizen? Citizen = null, string? Problem = null);

/// <summary>
/// Regulation diagram 2, processes 3–4: the registrar typed the citizen's IIN; the node asks Central's population
/// registry live (<c>POST /api/sync/registry/person</c>, with the kiosk's credential, within
/// <see cref="DeskOptions.LookupTimeout"/>). Whatever stops the answer — no such person, a death on record, Central out
/// of reach — is the regulation's "the data of the person cannot be obtained" with its reason; the desk queues nothing
/// then. The IIN goes in the body; logs carry the outcome and a problem code, never the person.
/// </summary>
public sealed partial class DeskRegistryLookup(
    IHttpClientFactory factory, IOptions<RegistryLookupOptions> central, IOptions<DeskOptions> options, IConfiguration configuration,
    KioskSettings settings, ILogger<DeskRegistryLookup> logger)
{
    public const string HttpClientName = "CentralDeskRegistry";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DeskLookup> FindAsync(Iin iin, CancellationToken cancellationToken)
    {
        var baseUrl = central.Value.BaseUrl;
        var kioskId = configuration["Sync:KioskId"]?.Trim();
        if (baseUrl is null || string.IsNullOrEmpty(kioskId)) return Unavailable("no-central");
        var credential = configuration["Sync:Credential"]?.Trim();
        if (string.IsNullOrEmpty(credential)) credential = settings.Get(KioskSettings.CredentialPrefix + kioskId);
        if (string.IsNullOrEmpty(credential)) return Unavailable("no-credential");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.LookupTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/sync/registry/person"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{kioskId}.{credential}");
            request.Content = JsonContent.Create(new { iin = iin.Value }, options: Json);
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return Logged(new DeskLookup(DeskLookupOutcome.NotInRegistry));
            if (!response.IsSuccessStatusCode) return Unavailable("http-" + (int)response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<Answer>(Json, timeout.Token);
            if (answer is { Deceased: true }) return Logged(new DeskLookup(DeskLookupOutcome.Deceased));
            if (answer is not { Surname.Length: > 0, FirstName.Length: > 0, Address.Length: > 0, District.Length: > 0, Sex.Length: > 0 }
                || !DateOnly.TryParseExact(answer.BirthDate, "yyyy-MM-dd", out var birthDate))
                return Unavailable("bad-answer");
            return Logged(new DeskLookup(DeskLookupOutcome.Found, new DeskCitizen(iin, answer.Surname, answer.FirstName,
                string.IsNullOrWhiteSpace(answer.Patronymic) ? null : answer.Patronymic, birthDate, answer.Sex, answer.Address, answer.District, answer.ClinicId)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable("timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or NotSupportedException)
        {
            return Unavailable("unreachable");
        }
    }

    private sealed record Answer(bool Deceased, string? Surname, string? FirstName, string? Patronymic, string? BirthDate, string? Sex,
        string? Address, string? District, long? ClinicId);

    private DeskLookup Unavailable(string problem)
    {
        LogUnavailable(problem);
        return new DeskLookup(DeskLookupOutcome.Unavailable, Problem: problem);
    }

    private DeskLookup Logged(DeskLookup lookup)
    {
        LogLookup(lookup.Outcome.ToString());
        return lookup;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desk registry look-up: {Outcome}")]
    private partial void LogLookup(string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desk registry look-up failed ({Problem}): the registrar is told the person's data cannot be obtained")]
    private partial void LogUnavailable(string problem);
}
