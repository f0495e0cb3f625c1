using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kiosk.Storage;
using Kiosk.Sync;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;

namespace Kiosk.Tests.Central;

/// <summary>
/// Central's reference pull (<c>GET /api/sync/reference</c>) and registry address lookup
/// (<c>POST /api/sync/registry/address</c>) over real HTTP on loopback, on a real SQLite file, with a fake clock at
/// 07:00 on the intake tests' Wednesday.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class ReferenceSyncTests(DemoCaFixture ca)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Both_endpoints_refuse_a_caller_without_the_kiosk_credential()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        using (var anonymous = await central.Http.GetAsync("/api/sync/reference"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var wrong = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, "/api/sync/reference", "cred_" + new string('Z', 38))))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var address = await central.Http.PostAsJsonAsync("/api/sync/registry/address", new { iin = central.Citizens[0].Iin }))
            Assert.Equal(HttpStatusCode.Unauthorized, address.StatusCode);
        using (var ok = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, "/api/sync/reference")))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_first_pull_pages_through_every_future_slot_exactly_once_with_the_rest_on_the_first_page()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var schedule = Schedule.Seed(central.Database, central.Time.GetUtcNow());

        var pages = await PullAllAsync(central, since: 0, limit: 7);

        Assert.True(pages.Count >= 3, $"{schedule.Future.Count} future slots in pages of 7 take several pages, got {pages.Count}");
        var slotIds = pages.SelectMany(p => p.Slots!).Select(s => s.Id).ToList();
        Assert.Equal(slotIds.Count, slotIds.Distinct().Count());                  // none twice
        Assert.Equal(schedule.Future.Order(), slotIds.Order());                    // every future slot, no past one
        Assert.DoesNotContain(slotIds, schedule.Past.Contains);
        Assert.All(pages.SelectMany(p => p.Slots!), s => Assert.True(s.StartsAt > central.Time.GetUtcNow()));
        Assert.All(pages.SelectMany(p => p.Slots!), s => Assert.False(s.Booked));

        var first = pages[0];
        Assert.True(first.Full);
        Assert.Equal(Schedule.Version, first.Version);
        Assert.Equal("D1", Assert.Single(first.Districts!).Code);
        Assert.Equal(new[] { IntakeCentral.OpenClinic, IntakeCentral.WeekStartClinic }, first.Clinics!.Select(k => k.Id));
        var open = first.Clinics![0];
        Assert.Equal("+7 7172 55-00-01", open.Phone);
        Assert.Equal(new[] { "D1" }, open.Districts!);
        Assert.Equal(7, open.Hours!.Count);
        Assert.Equal(("08:00", "20:00"), (open.Hours![3].Opens, open.Hours![3].Closes));
        Assert.Equal(new[] { 1, 2 }, first.Clinics![1].Hours!.Select(h => h.Weekday));
        Assert.Equal(new[] { "district-therapist", "paediatrician", "district-therapist" }, first.Doctors!.Select(d => d.Speciality!));
        Assert.Equal(new Dictionary<long, long> { [1] = 1, [2] = 0 }, first.Served!.ToDictionary(s => s.ClinicId, s => s.Served));

        // The trust list: Central's anchors, issuing CAs and CRLs as DER, named as in its folder.
        var trust = first.Trust!;
        Assert.True(trust.Complete);
        Assert.Equal(new[] { "issuing-ca.cer", "issuing-ca.crl", "root-ca.cer", "root-ca.crl" }, trust.Files!.Select(f => f.Name!).Order(StringComparer.Ordinal));
        foreach (var file in trust.Files!)
            Assert.Equal(File.ReadAllBytes(Path.Combine(ca.Ca.TrustDirectory, file.Name!)), Convert.FromBase64String(file.Der!));

        // Later pages carry slots only.
        Assert.All(pages.Skip(1), p =>
        {
            Assert.Empty(p.Clinics!);
            Assert.Empty(p.Doctors!);
            Assert.Null(p.Served);
            Assert.Null(p.Trust);
        });
        Assert.All(pages.SkipLast(1), p => Assert.True(p.More));
        Assert.False(pages[^1].More);

        // The same digest back: no trust list; "off": none either.
        var again = await PullPageAsync(central, $"/api/sync/reference?since=0&limit=7&trust={trust.Digest}");
        Assert.Null(again.Trust);
        Assert.Null((await PullPageAsync(central, "/api/sync/reference?since=0&limit=7&trust=off")).Trust);
    }

    [Fact]
    public async Task A_pull_since_a_version_gives_only_what_changed_after_it_and_a_booking_marks_its_slot_booked()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var schedule = Schedule.Seed(central.Database, central.Time.GetUtcNow());
        central.SetRegistry(central.Citizens[0], RegistryState.AttachedOpenEveryDay);

        var nothing = await PullAllAsync(central, since: Schedule.Version, limit: 50);
        var only = Assert.Single(nothing);
        Assert.Equal((Schedule.Version, Schedule.Version, false), (only.Since, only.Version, only.More));
        Assert.Empty(only.Slots!);
        Assert.Empty(only.Clinics!);
        Assert.NotNull(only.Served); // the served counts come every time: attachments do not bump versions

        // A booking, as the booking service does it (the contract): the slot gets a new reference version.
        var slot = schedule.Future[3];
        var bumped = Book(central.Database, slot, central.Citizens[0].Iin!, central.Time.GetUtcNow());

        var changed = Assert.Single(await PullAllAsync(central, since: Schedule.Version, limit: 50));
        Assert.Equal(bumped, changed.Version);
        var sent = Assert.Single(changed.Slots!);
        Assert.Equal((slot, true), (sent.Id, sent.Booked));
        Assert.Empty(changed.Doctors!);
        Assert.Equal(2, changed.Served!.Single(s => s.ClinicId == IntakeCentral.OpenClinic).Served);

        // From the start again: the booked slot is booked there too, the others free.
        var all = (await PullAllAsync(central, since: 0, limit: 1000)).SelectMany(p => p.Slots!).ToList();
        Assert.Equal(new[] { slot }, all.Where(s => s.Booked).Select(s => s.Id));
    }

    [Fact]
    public async Task A_slot_booked_while_a_kiosk_pages_comes_in_the_next_pull()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var schedule = Schedule.Seed(central.Database, central.Time.GetUtcNow());
        central.SetRegistry(central.Citizens[0], RegistryState.AttachedOpenEveryDay);

        var first = await PullPageAsync(central, "/api/sync/reference?since=0&limit=5");
        Assert.True(first.More);
        var late = schedule.Future[^1]; // not sent yet
        var bumped = Book(central.Database, late, central.Citizens[0].Iin!, central.Time.GetUtcNow());
        var rest = new List<WireAnswer>();
        var cursor = first.Next;
        while (cursor is not null)
        {
            var page = await PullPageAsync(central, $"/api/sync/reference?since=0&limit=5&cursor={cursor}");
            rest.Add(page);
            cursor = page.More ? page.Next : null;
        }
        // This pull stops at the version it started with; the slot's new version is beyond it …
        Assert.DoesNotContain(rest.SelectMany(p => p.Slots!), s => s.Id == late);
        Assert.Equal(Schedule.Version, rest[^1].Version);
        // … so the next pull, from that version, brings it, booked.
        var next = Assert.Single(await PullAllAsync(central, since: Schedule.Version, limit: 5));
        Assert.Equal((late, true), (Assert.Single(next.Slots!).Id, next.Slots![0].Booked));
        Assert.Equal(bumped, next.Version);
    }

    [Theory]
    [InlineData("since=-1")]
    [InlineData("since=abc")]
    [InlineData("since=0&limit=0")]
    [InlineData("since=0&limit=100001")]
    [InlineData("since=0&cursor=nonsense")]
    [InlineData("since=2&cursor=1.5")]
    public async Task A_bad_version_cursor_or_limit_is_refused(string query)
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        Schedule.Seed(central.Database, central.Time.GetUtcNow());
        using var response = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, "/api/sync/reference?" + query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_address_lookup_answers_the_registrys_address_and_logs_no_IIN()
    {
        await using var central = await IntakeCentral.StartAsync(ca);
        var citizen = central.Citizens[1];
        central.SetRegistry(citizen, RegistryState.AttachedOpenEveryDay);
        using (var c = central.Database.Open())
            c.Execute("UPDATE persons SET address = 'Астана, ул. Кенесары 40, кв. 12' WHERE iin = @iin", new { iin = citizen.Iin });

        var request = central.KioskRequest(HttpMethod.Post, "/api/sync/registry/address");
        request.Content = JsonContent.Create(new { iin = citizen.Iin });
        using var found = await central.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var answer = (await found.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal("Астана, ул. Кенесары 40, кв. 12", answer.GetProperty("address").GetString());
        Assert.Equal("D1", answer.GetProperty("district").GetString());

        central.SetRegistry(citizen, RegistryState.Missing);
        var missing = central.KioskRequest(HttpMethod.Post, "/api/sync/registry/address");
        missing.Content = JsonContent.Create(new { iin = citizen.Iin });
        using (var response = await central.Http.SendAsync(missing))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var bad = central.KioskRequest(HttpMethod.Post, "/api/sync/registry/address");
        bad.Content = JsonContent.Create(new { iin = "123456789012" });
        using (var response = await central.Http.SendAsync(bad))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        Assert.Contains(central.Logs.Lines, l => l.Contains("looked up a registry address", StringComparison.Ordinal));
        Assert.DoesNotContain(central.Logs.Lines, l => l.Contains(citizen.Iin!, StringComparison.Ordinal) || l.Contains("Кенесары", StringComparison.Ordinal));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    internal static async Task<WireAnswer> PullPageAsync(IntakeCentral central, string pathAndQuery)
    {
        using var response = await central.Http.SendAsync(central.KioskRequest(HttpMethod.Get, pathAndQuery));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<WireAnswer>(body, Json)!;
    }

    private static async Task<List<WireAnswer>> PullAllAsync(IntakeCentral central, long since, int limit)
    {
        var pages = new List<WireAnswer>();
        string? cursor = null;
        do
        {
            var page = await PullPageAsync(central, $"/api/sync/reference?since={since}&limit={limit}" + (cursor is null ? "" : "&cursor=" + cursor));
            pages.Add(page);
            cursor = page.More ? page.Next : null;
            Assert.True(pages.Count < 100, "the pull does not end");
        } while (cursor is not null);
        return pages;
    }

    /// <summary>Books a slot as the booking service does: the booking row and a new reference version on the slot, in one transaction.</summary>
    internal static long Book(SqliteDatabase db, long slotId, string iin, DateTimeOffset now)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var version = c.ExecuteScalar<long>("SELECT MAX(version) + 1 FROM reference_versions", transaction: tx);
        c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (@version, @now, 'booking')", new { version, now }, tx);
        c.Execute("INSERT INTO bookings (slot_id, iin, request_id, created_at) VALUES (@slotId, @iin, @rid, @now)",
            new { slotId, iin, rid = Guid.NewGuid().ToString("D"), now }, tx);
        c.Execute("UPDATE slots SET version = @version WHERE id = @slotId", new { version, slotId }, tx);
        tx.Commit();
        return version;
    }
}

/// <summary>
/// Doctors and slots on top of the intake tests' reference data (version 1), all under <see cref="Version"/>: three
/// doctors (two at the clinic open every day), each with past and future 15-minute slots around <c>now</c>, and
/// phones for the clinics. One person is attached to clinic 1 in the intake data when a test attaches a citizen.
/// </summary>
public sealed record Schedule(List<long> Past, List<long> Future)
{
    public const long Version = 2;

    public static Schedule Seed(SqliteDatabase db, DateTimeOffset now)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO reference_versions (version, created_at, note) VALUES (@Version, @now, 'schedule')", new { Version, now }, tx);
        c.Execute("UPDATE clinics SET phone = '+7 7172 55-00-0' || id, version = @Version", new { Version }, tx);
        c.Execute("INSERT INTO clinic_districts (clinic_id, district) VALUES (1, 'D1'), (2, 'D1')", transaction: tx);
        c.Execute("""
            INSERT INTO doctors (id, clinic_id, surname, first_name, patronymic, speciality, slot_minutes, room, version) VALUES
              (10, 1, 'Ахметова', 'Айгуль', NULL, 'district-therapist', 15, '101', @Version),
              (11, 1, 'Беков', 'Ерлан', 'Серикович', 'paediatrician', 15, '102', @Version),
              (12, 2, 'Петрова', 'Анна', NULL, 'district-therapist', 20, '201', @Version)
            """, new { Version }, tx);
        // A person attached to clinic 1 (so 'served' is 1); not one of the demo CA's citizens.
        c.Execute("""
            INSERT INTO persons (iin, surname, first_name, patronymic, sex, birth_date, district, address, deceased_on)
            VALUES ('900101300017', 'ТЕСТОВА', 'ТЕСТ', NULL, 'female', '1990-01-01', 'D1', 'Astana', NULL)
            """, transaction: tx);
        c.Execute("INSERT INTO attachments (iin, clinic_id, attached_on) VALUES ('900101300017', 1, '2015-01-01')", transaction: tx);
        var past = new List<long>();
        var future = new List<long>();
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        foreach (var doctor in new[] { 10L, 11L, 12L })
        {
            for (var i = -4; i < 8; i++)
            {
                var startsAt = start.AddMinutes(15 * i + doctor); // a minute apart per doctor, so none starts exactly 'now'
                var id = c.ExecuteScalar<long>("""
                    INSERT INTO slots (doctor_id, starts_at, ends_at, version) VALUES (@doctor, @startsAt, @endsAt, @Version) RETURNING id
                    """, new { doctor, startsAt = DapperTypeHandlers.Format(startsAt), endsAt = DapperTypeHandlers.Format(startsAt.AddMinutes(15)), Version }, tx);
                (startsAt > now ? future : past).Add(id);
            }
        }
        tx.Commit();
        return new Schedule(past, future);
    }
}
