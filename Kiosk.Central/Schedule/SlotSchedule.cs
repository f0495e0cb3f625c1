using Kiosk.Core.Time;
using System.Globalization;
using Dapper;
using Kiosk.Central.DemoData;
using Kiosk.Storage;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Schedule;

/// <summary>
/// Doctors' appointment slots, made from the clinic hours and kept rolling: every top-up makes sure each doctor's
/// schedule covers today … today + <see cref="HorizonDays"/> (Astana dates). A doctor's slots on a date are a pure
/// function of the doctor's id and slot length, the clinic's hours and the date, so topping up is idempotent and
/// deterministic: running it twice, or on two nodes, gives the same rows.
/// <para>
/// Working pattern: on a long day (more than 6 hours open) a doctor works an 8-hour shift, the morning one from opening
/// or the evening one up to closing, alternating weekly, with a one-hour lunch break 4 or 4½ hours into it. On a short
/// day (Saturday, Sunday morning) half of the doctors are on duty, alternating weekly, without a break.
/// </para>
/// </summary>
public static class SlotSchedule
{
    public const int HorizonDays = 14;

    private static readonly TimeSpan ShortDay = TimeSpan.FromHours(6);
    private static readonly TimeSpan Shift = TimeSpan.FromHours(8);
    private static readonly TimeSpan Lunch = TimeSpan.FromHours(1);

    /// <summary>The local working periods of a doctor on a date when the clinic is open from <paramref name="opens"/> to <paramref name="closes"/>.</summary>
    public static IReadOnlyList<(TimeOnly From, TimeOnly To)> WorkingPeriods(long doctorId, DateOnly date, TimeOnly opens, TimeOnly closes)
    {
        var open = closes - opens;
        if (open <= TimeSpan.Zero) return [];
        var evenWeek = (doctorId + date.DayNumber / 7) % 2 == 0; // DayNumber 0 is a Monday: weeks run Monday–Sunday
        if (open <= ShortDay) return evenWeek ? [(opens, closes)] : [];
        var length = open < Shift ? open : Shift;
        var start = evenWeek ? opens : closes.Add(-length);
        var end = start.Add(length);
        var lunch = start.Add(TimeSpan.FromMinutes(240 + (doctorId % 2) * 30));
        return lunch.Add(Lunch) < end ? [(start, lunch), (lunch.Add(Lunch), end)] : [(start, end)];
    }

    /// <summary>The local start times of a doctor's slots on a date.</summary>
    public static IEnumerable<TimeOnly> SlotStarts(long doctorId, int slotMinutes, DateOnly date, TimeOnly opens, TimeOnly closes)
    {
        var step = TimeSpan.FromMinutes(slotMinutes);
        foreach (var (from, to) in WorkingPeriods(doctorId, date, opens, closes))
            for (var t = from.ToTimeSpan(); t + step <= to.ToTimeSpan(); t += step)
                yield return TimeOnly.FromTimeSpan(t);
    }

    /// <summary>
    /// Adds the missing slots so every doctor's schedule reaches today + <see cref="HorizonDays"/>, in one transaction,
    /// under a new reference version when anything was added. Returns the number of slots added.
    /// </summary>
    public static int TopUp(SqliteConnection connection, TimeProvider time)
    {
        var today = AstanaTime.Today(time);
        var last = today.AddDays(HorizonDays);
        using var tx = connection.BeginTransaction();
        var doctors = connection.Query<(long Id, long ClinicId, long SlotMinutes)>(
            "SELECT id, clinic_id, slot_minutes FROM doctors ORDER BY id", transaction: tx).ToList();
        if (doctors.Count == 0) return 0;
        var hours = connection.Query<(long ClinicId, long Weekday, string Opens, string Closes)>(
                "SELECT clinic_id, weekday, opens, closes FROM clinic_hours", transaction: tx)
            .ToDictionary(h => (h.ClinicId, (DayOfWeek)h.Weekday), h => (Opens: ParseClock(h.Opens), Closes: ParseClock(h.Closes)));
        var latest = connection.Query<(long DoctorId, string Latest)>(
                "SELECT doctor_id, MAX(starts_at) FROM slots GROUP BY doctor_id", transaction: tx)
            .ToDictionary(r => r.DoctorId, r => DateOnly.FromDateTime(AstanaTime.ToLocal(ParseInstant(r.Latest))));

        var version = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM reference_versions", transaction: tx);
        connection.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (@version, @at, @note)",
            new { version, at = time.GetUtcNow(), note = $"slots up to {DemoDataSeeder.Date(last)}" }, tx);
        using var insert = BulkCommand.Prepare(connection, tx,
            """
            INSERT INTO slots (doctor_id, starts_at, ends_at, version) VALUES ($doctor, $starts, $ends, $v)
            ON CONFLICT (doctor_id, starts_at) DO NOTHING
            """);
        var added = 0;
        foreach (var doctor in doctors)
        {
            // Days before the doctor's latest slot are complete already; the latest day itself is redone (idempotently).
            // So a change of clinic hours shapes the days that are added from then on, not the ones already scheduled.
            var from = latest.TryGetValue(doctor.Id, out var l) && l > today ? l : today;
            for (var date = from; date <= last; date = date.AddDays(1))
            {
                if (!hours.TryGetValue((doctor.ClinicId, date.DayOfWeek), out var h)) continue;
                foreach (var start in SlotStarts(doctor.Id, (int)doctor.SlotMinutes, date, h.Opens, h.Closes))
                {
                    var startsAt = AstanaTime.ToUtc(date, start);
                    added += BulkCommand.Run(insert, doctor.Id, DapperTypeHandlers.Format(startsAt),
                        DapperTypeHandlers.Format(startsAt.AddMinutes(doctor.SlotMinutes)), version);
                }
            }
        }
        if (added > 0) tx.Commit(); // else the version is rolled back with the transaction
        return added;
    }

    public static DateTimeOffset ParseInstant(string utc) =>
        DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static TimeOnly ParseClock(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture);
}
