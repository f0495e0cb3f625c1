using Dapper;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Services;

/// <summary>A person as the population registry holds them now: alive or not, the district of their address, the current attachment.</summary>
public sealed record RegistryPerson(bool Deceased, string District, long? AttachedClinicId);

/// <summary>Registry and reference look-ups shared by the deciders; always inside the caller's transaction.</summary>
public static class RegistryFacts
{
    public static RegistryPerson? Person(SqliteConnection c, SqliteTransaction tx, string iin)
    {
        var row = c.QuerySingleOrDefault<(string? DeceasedOn, string District)?>(
            "SELECT deceased_on, district FROM persons WHERE iin = @iin", new { iin }, tx);
        if (row is not { } p) return null;
        var clinic = c.QuerySingleOrDefault<long?>(
            "SELECT clinic_id FROM attachments WHERE iin = @iin AND detached_on IS NULL", new { iin }, tx);
        return new RegistryPerson(p.DeceasedOn is not null, p.District, clinic);
    }

    /// <summary>
    /// A new reference version for a change kiosks must see on their next pull (a slot booked or freed, a clinic's
    /// attached count changed); the changed rows take it as their <c>version</c>.
    /// </summary>
    public static long NewReferenceVersion(SqliteConnection c, SqliteTransaction tx, DateTimeOffset now, string note)
    {
        var version = c.ExecuteScalar<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM reference_versions", transaction: tx);
        c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (@version, @now, @note)",
            new { version, now, note }, tx);
        return version;
    }
}
