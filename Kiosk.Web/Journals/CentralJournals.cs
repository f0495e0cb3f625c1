using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kiosk.Node;
using Kiosk.Web.Central;
using Microsoft.Extensions.Options;

namespace Kiosk.Web.Journals;

/// <summary>The journals' settings (section <c>Journals</c>).</summary>
public sealed class JournalOptions
{
    public const string Section = "Journals";

    /// <summary>The most one journal fetch from Central may take before the page says Central cannot be reached.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public enum JournalOutcome
{
    Found,

    /// <summary>Central says this kiosk serves no clinic (409).</summary>
    NoClinic,

    /// <summary>Central could not be asked: not configured, unreachable, too slow, refusing, or a malformed answer.</summary>
    Unavailable,
}

/// <summary>What a journal page shows: the journal, or why there is none (<see cref="Problem"/>: a code for the log and the page's data attribute).</summary>
public sealed record JournalFetch<T>(JournalOutcome Outcome, T? Journal = null, string? Problem = null) where T : class;

/// <summary>A home call of the clinic's journal as Central sends it (<c>GET /api/sync/journals/home-calls</c>).</summary>
public sealed record HomeCallJournalEntry(
    string Number, string Time, DateTimeOffset ReceivedAt, string MaskedIin, string Name, string Address, string Channel, string Status,
    string? Reason, JournalVisit? Visit);

public sealed record JournalVisit(string Date, string From, string To);

public sealed record HomeCallJournal(long ClinicId, string Date, IReadOnlyList<HomeCallJournalEntry> Entries);

/// <summary>An appointment of the clinic's journal as Central sends it (<c>GET /api/sync/journals/appointments</c>).</summary>
public sealed record AppointmentJournalEntry(
    string Number, string Time, DateTimeOffset StartsAt, long SlotId, long DoctorId, string DoctorName, string Speciality, string Room,
    string MaskedIin, string Name, string Channel, string Status, string? Reason, DateTimeOffset ReceivedAt, DateTimeOffset? CancelledAt);

public sealed record AppointmentJournal(long ClinicId, string Date, long? DoctorId, IReadOnlyList<AppointmentJournalEntry> Entries);

/// <summary>
/// Regulation process 8 (home call and appointment): "the record in the journal of the authorised organisation". The
/// clinic's journals live at Central; a registrar's journal page asks for them <em>live</em>, with the kiosk's
/// credential, within <see cref="JournalOptions.Timeout"/> (<c>GET /api/sync/journals/…?date=&amp;doctor=</c>: a date and
/// a doctor's id are the only things in the URL). Nothing is kept at the node. When Central cannot be asked the page says
/// so; the log has a problem code, never an entry.
/// </summary>
public sealed partial class CentralJournals(
    IHttpClientFactory factory, IOptions<RegistryLookupOptions> central, IOptions<JournalOptions> options, IConfiguration configuration,
    KioskSettings settings, ILogger<CentralJournals> logger)
{
    public const string HttpClientName = "CentralJournals";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<JournalFetch<HomeCallJournal>> HomeCallsAsync(DateOnly day, CancellationToken cancellationToken) =>
        FetchAsync<HomeCallJournal>("home-calls", $"api/sync/journals/home-calls?date={Text(day)}", j => j.Entries is not null, cancellationToken);

    public Task<JournalFetch<AppointmentJournal>> AppointmentsAsync(DateOnly day, long? doctorId, CancellationToken cancellationToken) =>
        FetchAsync<AppointmentJournal>("appointments",
            $"api/sync/journals/appointments?date={Text(day)}" + (doctorId is { } d ? "&doctor=" + d.ToString(CultureInfo.InvariantCulture) : ""),
            j => j.Entries is not null, cancellationToken);

    private async Task<JournalFetch<T>> FetchAsync<T>(string journal, string path, Func<T, bool> wellFormed, CancellationToken cancellationToken)
        where T : class
    {
        var baseUrl = central.Value.BaseUrl;
        var kioskId = configuration["Sync:KioskId"]?.Trim();
        if (baseUrl is null || string.IsNullOrEmpty(kioskId)) return Unavailable<T>(journal, "no-central");
        var credential = configuration["Sync:Credential"]?.Trim();
        if (string.IsNullOrEmpty(credential)) credential = settings.Get(KioskSettings.CredentialPrefix + kioskId);
        if (string.IsNullOrEmpty(credential)) return Unavailable<T>(journal, "no-credential");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{kioskId}.{credential}");
            using var http = factory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                LogNoClinic(journal);
                return new JournalFetch<T>(JournalOutcome.NoClinic, Problem: "no-clinic");
            }
            if (!response.IsSuccessStatusCode) return Unavailable<T>(journal, "http-" + (int)response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<T>(Json, timeout.Token);
            if (answer is null || !wellFormed(answer)) return Unavailable<T>(journal, "bad-answer");
            return new JournalFetch<T>(JournalOutcome.Found, answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable<T>(journal, "timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or NotSupportedException)
        {
            return Unavailable<T>(journal, "unreachable");
        }
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private JournalFetch<T> Unavailable<T>(string journal, string problem) where T : class
    {
        LogUnavailable(journal, problem);
        return new JournalFetch<T>(JournalOutcome.Unavailable, Problem: problem);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {Journal} could not be fetched from Central ({Problem}): the registrar is told Central cannot be reached")]
    private partial void LogUnavailable(string journal, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {Journal}: Central says this kiosk serves no clinic")]
    private partial void LogNoClinic(string journal);
}

public static class JournalServiceCollection
{
    /// <summary>The clinic's journals at the desk (issue 12 item 3; docs/journals.md): fetched live from Central.</summary>
    public static IServiceCollection AddJournals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JournalOptions>()
            .Bind(configuration.GetSection(JournalOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(2), "Journals:Timeout must be between 0 and 2 min.")
            .ValidateOnStart();
        services.AddHttpClient(CentralJournals.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<JournalOptions>>().Value.Timeout + TimeSpan.FromSeconds(1));
        services.AddSingleton<CentralJournals>();
        return services;
    }
}
