using Kiosk.Core.Time;
using Dapper;
using Kiosk.Central;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Central;

[Collection(CentralDatabaseCollection.Name)]
public sealed class SlotScheduleTests(CentralDatabaseFixture fx)
{
    private sealed record Slot(long DoctorId, long ClinicId, int SlotMinutes, DateTime LocalStart, DateTime LocalEnd);

    private List<Slot> Slots()
    {
        using var c = fx.Open();
        return c.Query<(long DoctorId, long ClinicId, long SlotMinutes, string StartsAt, string EndsAt)>("""
                SELECT s.doctor_id, d.clinic_id, d.slot_minutes, s.starts_at, s.ends_at
                FROM slots s JOIN doctors d ON d.id = s.doctor_id
                ORDER BY s.doctor_id, s.starts_at
                """)
            .Select(r => new Slot(r.DoctorId, r.ClinicId, (int)r.SlotMinutes,
                AstanaTime.ToLocal(SlotSchedule.ParseInstant(r.StartsAt)), AstanaTime.ToLocal(SlotSchedule.ParseInstant(r.EndsAt))))
            .ToList();
    }

    private Dictionary<(long Clinic, DayOfWeek Day), (TimeOnly Opens, TimeOnly Closes)> Hours()
    {
        using var c = fx.Open();
        return c.Query<(long ClinicId, long Weekday, string Opens, string Closes)>("SELECT clinic_id, weekday, opens, closes FROM clinic_hours")
            .ToDictionary(h => (h.ClinicId, (DayOfWeek)h.Weekday), h => (SlotSchedule.ParseClock(h.Opens), SlotSchedule.ParseClock(h.Closes)));
    }

    [Fact]
    public void Asia_almaty_comes_from_tzdata_and_is_utc_plus_5_now()
    {
        Assert.Equal(TimeSpan.FromHours(5), AstanaTime.Zone.GetUtcOffset(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(6), AstanaTime.Zone.GetUtcOffset(new DateTimeOffset(2023, 1, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 4), fx.Today);
        Assert.Equal(new DateOnly(2026, 3, 5), AstanaTime.Today(new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 19, 0, 0, TimeSpan.Zero))));
    }

    [Fact]
    public void Slots_cover_today_to_the_horizon_for_every_clinic_and_every_weekday_doctor()
    {
        var slots = Slots();
        var hours = Hours();
        var last = fx.Today.AddDays(SlotSchedule.HorizonDays);
        Assert.Equal(fx.Today, DateOnly.FromDateTime(slots.Min(s => s.LocalStart)));
        Assert.Equal(last, DateOnly.FromDateTime(slots.Max(s => s.LocalStart)));

        var byClinicDay = slots.Select(s => (s.ClinicId, DateOnly.FromDateTime(s.LocalStart))).ToHashSet();
        var byDoctorDay = slots.Select(s => (s.DoctorId, DateOnly.FromDateTime(s.LocalStart))).ToHashSet();
        using var c = fx.Open();
        var doctors = c.Query<(long Id, long ClinicId)>("SELECT id, clinic_id FROM doctors").ToList();
        for (var date = fx.Today; date <= last; date = date.AddDays(1))
        {
            foreach (var clinic in doctors.Select(d => d.ClinicId).Distinct())
                Assert.Equal(hours.ContainsKey((clinic, date.DayOfWeek)), byClinicDay.Contains((clinic, date)));
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            Assert.All(doctors, d => Assert.Contains((d.Id, date), byDoctorDay));
        }
    }

    [Fact]
    public void No_slot_lies_outside_clinic_hours_or_overlaps_and_long_days_keep_a_lunch_break()
    {
        var hours = Hours();
        foreach (var day in Slots().GroupBy(s => (s.DoctorId, Date: DateOnly.FromDateTime(s.LocalStart))))
        {
            var list = day.OrderBy(s => s.LocalStart).ToList();
            Assert.True(hours.TryGetValue((list[0].ClinicId, day.Key.Date.DayOfWeek), out var h), "slot on a closed day");
            foreach (var s in list)
            {
                Assert.Equal(TimeSpan.FromMinutes(s.SlotMinutes), s.LocalEnd - s.LocalStart);
                Assert.True(TimeOnly.FromDateTime(s.LocalStart) >= h.Opens && TimeOnly.FromDateTime(s.LocalEnd) <= h.Closes,
                    $"{s.LocalStart:t}–{s.LocalEnd:t} outside {h.Opens}–{h.Closes}");
                Assert.Equal(day.Key.Date, DateOnly.FromDateTime(s.LocalEnd.AddTicks(-1)));
            }
            var gaps = list.Zip(list.Skip(1), (a, b) => b.LocalStart - a.LocalEnd).ToList();
            Assert.All(gaps, g => Assert.True(g >= TimeSpan.Zero, "overlapping slots"));
            var worked = list[^1].LocalEnd - list[0].LocalStart;
            if (worked > TimeSpan.FromHours(6)) Assert.Contains(gaps, g => g >= TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public void Top_up_is_idempotent_rolls_forward_and_agrees_with_a_fresh_schedule()
    {
        using var dir = new TempDirectory("kiosk-central-slots");
        var time = new FakeTimeProvider(CentralDatabaseFixture.Now);
        var (rolling, _) = CentralDatabaseFixture.Create(dir, "rolling.db", time);
        using var c = rolling.Open();
        new DemoDataSeeder(DemoDataOptions.DefaultSeed, 100).SeedIfEmpty(c, time);

        var first = SlotSchedule.TopUp(c, time);
        Assert.True(first > 1000);
        var version = c.ExecuteScalar<long>("SELECT MAX(version) FROM reference_versions");
        Assert.Equal(0, SlotSchedule.TopUp(c, time));
        Assert.Equal(version, c.ExecuteScalar<long>("SELECT MAX(version) FROM reference_versions")); // nothing new, no new version

        time.Advance(TimeSpan.FromDays(1));
        var next = SlotSchedule.TopUp(c, time);
        Assert.InRange(next, 1, first / 5);
        Assert.Equal(version + 1, c.ExecuteScalar<long>("SELECT MAX(version) FROM reference_versions"));
        Assert.Equal(next, c.ExecuteScalar<long>("SELECT COUNT(*) FROM slots WHERE version = @v", new { v = version + 1 }));
        var lastLocal = AstanaTime.ToLocal(SlotSchedule.ParseInstant(c.ExecuteScalar<string>("SELECT MAX(starts_at) FROM slots")!));
        Assert.Equal(AstanaTime.Today(time).AddDays(SlotSchedule.HorizonDays), DateOnly.FromDateTime(lastLocal));

        // A database that was only ever topped up today holds exactly the same slots from today on.
        var (fresh, _) = CentralDatabaseFixture.Create(dir, "fresh.db", time);
        using var f = fresh.Open();
        new DemoDataSeeder(DemoDataOptions.DefaultSeed, 100).SeedIfEmpty(f, time);
        SlotSchedule.TopUp(f, time);
        const string fromToday = "SELECT doctor_id || ' ' || starts_at || ' ' || ends_at FROM slots WHERE starts_at >= @start ORDER BY 1";
        var start = Kiosk.Storage.DapperTypeHandlers.Format(AstanaTime.StartOfDay(AstanaTime.Today(time)));
        Assert.Equal(f.Query<string>(fromToday, new { start }), c.Query<string>(fromToday, new { start }));
    }
}
