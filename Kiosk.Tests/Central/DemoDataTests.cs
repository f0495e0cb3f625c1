using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Central.DemoData;
using Kiosk.Central.Schedule;
using Kiosk.Core.Identity;
using Kiosk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Kiosk.Tests.Central;

[Collection(CentralDatabaseCollection.Name)]
public sealed partial class DemoDataTests(CentralDatabaseFixture fx, ITestOutputHelper output)
{
    private sealed record PersonRow(string Iin, string Surname, string FirstName, string? Patronymic, string Sex, string BirthDate, string District, string Address, string? DeceasedOn);

    private List<PersonRow> Persons()
    {
        using var c = fx.Open();
        return c.Query<PersonRow>("""
            SELECT iin AS Iin, surname AS Surname, first_name AS FirstName, patronymic AS Patronymic, sex AS Sex,
                   birth_date AS BirthDate, district AS District, address AS Address, deceased_on AS DeceasedOn
            FROM persons
            """).ToList();
    }

    [Fact]
    public void Seeding_fills_an_empty_registry_only_once()
    {
        output.WriteLine($"Seeded {fx.Seed.Persons} persons, {fx.Seed.Doctors} doctors, {fx.Seed.Attachments} attachments in {fx.Seed.Elapsed.TotalMilliseconds:F0} ms; {fx.SlotsAdded} slots.");
        Assert.True(fx.Seed.Seeded);
        using var c = fx.Open();
        var again = new DemoDataSeeder(DemoDataOptions.DefaultSeed, 12_000).SeedIfEmpty(c, fx.Time);
        Assert.False(again.Seeded);
        Assert.Equal(12_000, c.ExecuteScalar<long>("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public void Counts_meet_the_brief()
    {
        using var c = fx.Open();
        Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM persons") >= 10_000);
        Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM clinics") >= 8);
        // Every clinic serves one or two districts, has weekly hours, and doctors of all three specialities.
        Assert.Empty(c.Query<long>("SELECT id FROM clinics k WHERE (SELECT COUNT(*) FROM clinic_districts d WHERE d.clinic_id = k.id) NOT IN (1, 2)"));
        Assert.Empty(c.Query<long>("SELECT id FROM clinics k WHERE (SELECT COUNT(*) FROM clinic_hours h WHERE h.clinic_id = k.id) < 5"));
        Assert.Empty(c.Query<long>("""
            SELECT id FROM clinics k
            WHERE (SELECT COUNT(DISTINCT speciality) FROM doctors d WHERE d.clinic_id = k.id) <> 3
            """));
        Assert.Equal(["district-therapist", "general-practitioner", "paediatrician"],
            c.Query<string>("SELECT DISTINCT speciality FROM doctors ORDER BY 1"));
        Assert.Equal([15L, 20L], c.Query<long>("SELECT DISTINCT slot_minutes FROM doctors ORDER BY 1"));
        // Every Astana district is served by some clinic; the suburbs by none.
        Assert.Equal(["almaty", "baikonur", "esil", "nura", "saryarka"],
            c.Query<string>("SELECT DISTINCT district FROM clinic_districts ORDER BY 1"));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM clinic_districts cd JOIN districts d ON d.code = cd.district WHERE d.in_city = 0"));
        // Hours: Sunday closed except at one clinic, Saturdays mostly open.
        Assert.Equal(1, c.ExecuteScalar<long>("SELECT COUNT(*) FROM clinic_hours WHERE weekday = 0"));
        Assert.True(c.ExecuteScalar<long>("SELECT COUNT(*) FROM clinic_hours WHERE weekday = 6") >= 5);
    }

    [Fact]
    public void Every_iin_is_valid_unique_and_agrees_with_sex_and_birth_date()
    {
        var persons = Persons();
        Assert.Equal(persons.Count, persons.Select(p => p.Iin).Distinct().Count());
        foreach (var p in persons)
        {
            Assert.True(Iin.TryParse(p.Iin, out var iin, out var error), $"invalid IIN ({error})");
            Assert.Equal(p.BirthDate, iin.BirthDate.ToString("yyyy-MM-dd"));
            Assert.Equal(p.Sex, iin.Sex == Sex.Male ? "male" : "female");
        }
        var years = persons.Select(p => int.Parse(p.BirthDate[..4])).ToList();
        Assert.InRange(years.Min(), 1935, 1937);
        Assert.Equal(2025, years.Max());
        Assert.InRange(persons.Count(p => p.Sex == "female") / (double)persons.Count, 0.45, 0.55);
    }

    [GeneratedRegex(@"^\p{IsCyrillic}+(-\p{IsCyrillic}+)?$")]
    private static partial Regex CyrillicWord();

    [Fact]
    public void Names_are_kazakh_and_russian_in_cyrillic_with_matching_forms()
    {
        var persons = Persons();
        foreach (var p in persons)
        {
            Assert.Matches(CyrillicWord(), p.Surname);
            Assert.Matches(CyrillicWord(), p.FirstName);
            if (p.Patronymic is not null) Assert.Matches(CyrillicWord(), p.Patronymic);
            // Masculine surname forms only for men, -ович/-ұлы only for men, -овна/-қызы only for women.
            if (p.Sex == "female")
            {
                Assert.False(Regex.IsMatch(p.Surname, "(ов|ев|ёв|ин|ский)$"), p.Surname);
                if (p.Patronymic is not null) Assert.Matches("(вна|чна|қызы)$", p.Patronymic);
            }
            else if (p.Patronymic is not null)
            {
                Assert.Matches("(ич|ұлы)$", p.Patronymic);
            }
        }
        const string kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";
        Assert.True(persons.Count(p => (p.Surname + p.FirstName).IndexOfAny(kazakhLetters.ToCharArray()) >= 0) > persons.Count / 2);
        Assert.Contains(persons, p => p.Patronymic?.EndsWith("ұлы") == true);
        Assert.Contains(persons, p => p.Patronymic?.EndsWith("қызы") == true);
        Assert.Contains(persons, p => p.Surname.StartsWith("Иванов"));
        Assert.Contains(persons, p => p.Patronymic is null);
        Assert.True(persons.Count(p => p.Patronymic is null) < persons.Count / 50);
    }

    [Fact]
    public void Addresses_lie_in_astana_districts_except_the_suburbs()
    {
        var persons = Persons();
        var city = new HashSet<string> { "almaty", "baikonur", "esil", "saryarka", "nura" };
        Assert.Equal(city, persons.Where(p => p.Address.StartsWith("г. Астана, ")).Select(p => p.District).ToHashSet());
        Assert.All(persons.Where(p => !city.Contains(p.District)), p => Assert.StartsWith("Акмолинская обл.", p.Address));
        Assert.All(persons, p => Assert.Matches(@", д\. \d+(/\d)?(, кв\. \d+)?$", p.Address));
    }

    [Fact]
    public void The_awkward_shares_exist_and_are_findable()
    {
        using var c = fx.Open();
        double total = c.ExecuteScalar<long>("SELECT COUNT(*) FROM persons");
        double Share(DemoPersonKind kind) => DemoDataSeeder.FindPersons(c, kind, 100_000).Count / total;
        output.WriteLine($"unattached {Share(DemoPersonKind.Unattached):P1}, deceased {Share(DemoPersonKind.Deceased):P1}, outside {Share(DemoPersonKind.OutsideCity):P1}");
        Assert.InRange(Share(DemoPersonKind.Unattached), 0.02, 0.045);
        Assert.InRange(Share(DemoPersonKind.Deceased), 0.006, 0.015);
        Assert.InRange(Share(DemoPersonKind.OutsideCity), 0.012, 0.03);
        Assert.InRange(c.ExecuteScalar<long>("SELECT COUNT(*) FROM attachments WHERE detached_on IS NULL") / total, 0.88, 0.96);

        var ex = DemoDataSeeder.FindExamples(c);
        Assert.Equal(ex, DemoDataSeeder.FindExamples(c)); // always the same ones
        string? Current(Iin iin) => c.ExecuteScalar<string?>("SELECT CAST(clinic_id AS TEXT) FROM attachments WHERE iin = @iin AND detached_on IS NULL", new { iin });
        bool Served(Iin iin) => c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM persons p JOIN clinic_districts cd ON cd.district = p.district WHERE p.iin = @iin", new { iin }) > 0;
        string? Died(Iin iin) => c.ExecuteScalar<string?>("SELECT deceased_on FROM persons WHERE iin = @iin", new { iin });

        Assert.NotNull(Current(ex.Attached));
        Assert.Null(Died(ex.Attached));
        Assert.Null(Current(ex.Unattached));
        Assert.True(Served(ex.Unattached));
        Assert.Null(Died(ex.Unattached));
        Assert.NotNull(Died(ex.Deceased));
        Assert.Null(Current(ex.Deceased));
        Assert.False(Served(ex.OutsideCity));
        Assert.Null(Current(ex.OutsideCity));
        Assert.Null(Died(ex.OutsideCity));
    }

    [Fact]
    public void Current_attachments_are_to_a_clinic_serving_the_persons_district_and_history_is_kept()
    {
        using var c = fx.Open();
        Assert.Equal(0, c.ExecuteScalar<long>("""
            SELECT COUNT(*) FROM attachments a JOIN persons p ON p.iin = a.iin
            WHERE a.detached_on IS NULL
              AND NOT EXISTS (SELECT 1 FROM clinic_districts cd WHERE cd.clinic_id = a.clinic_id AND cd.district = p.district)
            """));
        Assert.Equal(0, c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM attachments a JOIN persons p ON p.iin = a.iin WHERE a.attached_on < p.birth_date OR a.attached_on > '2025-12-31'"));
        Assert.Equal(0, c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM attachments a JOIN persons p ON p.iin = a.iin WHERE p.deceased_on IS NOT NULL AND (a.detached_on IS NULL OR a.detached_on > p.deceased_on)"));
        // Some people changed clinic: a closed attachment followed by a current one.
        Assert.True(c.ExecuteScalar<long>("""
            SELECT COUNT(*) FROM attachments old JOIN attachments cur ON cur.iin = old.iin AND cur.detached_on IS NULL
            WHERE old.detached_on = cur.attached_on
            """) > 500);
    }

    [Fact]
    public void The_schema_enforces_one_current_attachment_foreign_keys_and_one_booking_per_slot()
    {
        using var c = fx.Open();
        using var tx = c.BeginTransaction();
        var ex = DemoDataSeeder.FindExamples(c);
        var clinic = c.ExecuteScalar<long>("SELECT clinic_id FROM attachments WHERE iin = @iin AND detached_on IS NULL", new { iin = ex.Attached }, tx);

        var second = Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO attachments (iin, clinic_id, attached_on) VALUES (@iin, @clinic, '2026-01-10')", new { iin = ex.Attached, clinic }, tx));
        Assert.Contains("UNIQUE", second.Message);
        var unknownClinic = Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO attachments (iin, clinic_id, attached_on) VALUES (@iin, 9999, '2026-01-10')", new { iin = ex.Unattached }, tx));
        Assert.Contains("FOREIGN KEY", unknownClinic.Message);
        var unknownPerson = Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO attachments (iin, clinic_id, attached_on) VALUES ('000000000000', @clinic, '2026-01-10')", new { clinic }, tx));
        Assert.Contains("FOREIGN KEY", unknownPerson.Message);

        var slot = c.ExecuteScalar<long>("SELECT MIN(id) FROM slots", transaction: tx);
        c.Execute("INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slot, @iin, @r, @at)",
            new { slot, iin = ex.Attached, r = Guid.NewGuid(), at = fx.Time.GetUtcNow() }, tx);
        var twice = Assert.Throws<SqliteException>(() => c.Execute(
            "INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slot, @iin, @r, @at)",
            new { slot, iin = ex.Unattached, r = Guid.NewGuid(), at = fx.Time.GetUtcNow() }, tx));
        Assert.Contains("UNIQUE", twice.Message);
        tx.Rollback();

        Assert.Empty(c.Query("PRAGMA foreign_key_check"));
    }

    [Fact]
    public void Migrations_are_recorded_and_the_file_is_in_wal_mode()
    {
        // Every embedded script, in order, and the first two by name (later ones come with later features).
        Assert.Equal(CentralDatabaseFixture.Migrations.Migrations.Select(m => m.Version), fx.Applied.Select(m => m.Version));
        Assert.Equal(Enumerable.Range(1, fx.Applied.Count), fx.Applied.Select(m => m.Version));
        Assert.Equal(["registry_and_reference", "kiosks_and_intake"], fx.Applied.Take(2).Select(m => m.Name));
        // Look at the real file with a plain connection, not through SqliteDatabase.
        using var plain = new SqliteConnection($"Data Source={fx.Database.Path};Mode=ReadOnly;Pooling=False");
        plain.Open();
        Assert.Equal("wal", plain.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, plain.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = 1 AND name = 'registry_and_reference'"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_registry_and_schedule_and_another_seed_does_not()
    {
        string registry, schedule;
        DemoExamples examples;
        using (var c = fx.Open())
        {
            registry = DemoDataSeeder.RegistryHash(c);
            schedule = DemoDataSeeder.ScheduleHash(c);
            examples = DemoDataSeeder.FindExamples(c);
        }
        using var dir = new TempDirectory("kiosk-central-seed");
        // A different moment on the same Astana day: the schedule must not depend on the hour of the top-up.
        var time = new FakeTimeProvider(CentralDatabaseFixture.Now.AddHours(10));

        var (same, _) = CentralDatabaseFixture.Create(dir, "same.db", time);
        using (var c = same.Open())
        {
            Assert.True(new DemoDataSeeder(DemoDataOptions.DefaultSeed, 12_000).SeedIfEmpty(c, time).Seeded);
            SlotSchedule.TopUp(c, time);
            Assert.Equal(registry, DemoDataSeeder.RegistryHash(c));
            Assert.Equal(schedule, DemoDataSeeder.ScheduleHash(c));
            Assert.Equal(examples, DemoDataSeeder.FindExamples(c));
        }

        var (other, _) = CentralDatabaseFixture.Create(dir, "other.db", time);
        using (var c = other.Open())
        {
            new DemoDataSeeder(DemoDataOptions.DefaultSeed + 1, 12_000).SeedIfEmpty(c, time);
            Assert.NotEqual(registry, DemoDataSeeder.RegistryHash(c));
        }
    }
}
