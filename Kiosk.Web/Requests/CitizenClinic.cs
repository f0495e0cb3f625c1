using Kiosk.Web.Central;
using Kiosk.Web.SignIn;

namespace Kiosk.Web.Requests;

/// <summary>
/// What the kiosk knows of the signed-in citizen's attachment (issue 5): from Central's registry when it answered
/// (<see cref="FromCentral"/>; <see cref="ClinicId"/> null then means attached to no clinic), else nothing — the
/// appointment screen then lets the citizen pick their clinic from the kiosk's reference data, and Central refuses the
/// request (<c>not-attached</c>, <c>other-clinic</c>) when the pick was wrong.
/// </summary>
public sealed record CitizenClinic(bool FromCentral, bool InRegistry, long? ClinicId, string? District)
{
    public static CitizenClinic Unknown { get; } = new(false, false, null, null);

    /// <summary>Nothing personal: whether Central answered and whether there is an attachment.</summary>
    public override string ToString() => $"CitizenClinic {{ FromCentral = {FromCentral}, Attached = {ClinicId is not null} }}";
}

/// <summary>The clinic the citizen chose at the kiosk while Central could not say where they are attached (session only).</summary>
public sealed record ChosenClinic(long ClinicId);

/// <summary>
/// Asks Central (<see cref="RegistryAddressLookup"/>: the IIN in a POST body, at most <c>Central:LookupTimeout</c>)
/// where the signed-in citizen is attached, and keeps the answer in the signed-in session for the pages that follow.
/// </summary>
public sealed class CitizenClinicLookup(RegistryAddressLookup registry)
{
    /// <summary>Asks Central afresh (the attachment may have just changed) and keeps the answer in the session.</summary>
    public async Task<CitizenClinic> RefreshAsync(HttpContext http)
    {
        var citizen = http.GetCitizen() ?? throw new InvalidOperationException("No signed-in citizen.");
        var (answered, person) = await registry.LookupAsync(citizen.Iin, http.RequestAborted);
        var known = answered ? new CitizenClinic(true, person is not null, person?.ClinicId, person?.District) : CitizenClinic.Unknown;
        http.SetCitizenItem(known);
        return known;
    }

    /// <summary>What the session learnt last (no call), or asks when it learnt nothing yet.</summary>
    public async Task<CitizenClinic> KnownAsync(HttpContext http) =>
        http.GetCitizenItem<CitizenClinic>() ?? await RefreshAsync(http);

    /// <summary>The clinic whose doctors the appointment screen shows: Central's answer, else the citizen's own pick.</summary>
    public static long? ClinicFor(HttpContext http, CitizenClinic known) =>
        known.FromCentral ? known.ClinicId : http.GetCitizenItem<ChosenClinic>()?.ClinicId;
}
