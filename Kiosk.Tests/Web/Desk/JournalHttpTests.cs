using System.Net;
using System.Net.Sockets;
using Dapper;
using Kiosk.Core.Requests;
using Kiosk.Core.Services;
using Kiosk.Node;
using Kiosk.Tests.Central;
using Kiosk.Tests.Central.Booking;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Web.Staff;

namespace Kiosk.Tests.Web.Desk;

/// <summary>
/// The desk's journal pages over HTTP (issue 12 item 3; docs/journals.md): the real kiosk app with its staff, asking a
/// real Central on loopback (<see cref="BookingCentral"/>, requests really signed and decided) with the kiosk's
/// credential. Registrars only; the entries with masked IINs, channel and status; the day and doctor filters; the two
/// papers; Central unreachable or not linking the kiosk → a clear message in kk/ru/en and a log line; no IIN in a URL
/// or a log.
/// </summary>
[Collection(DemoCaCollection.Name)]
public sealed class JournalHttpTests(DemoCaFixture ca)
{
    private const string HomeCalls = "/desk/journals/home-calls";
    private const string Appointments = "/desk/journals/appointments";

    /// <summary>The node's reference data as a pull would bring it: clinic 1 and its doctors 10 and 11.</summary>
    private static void SeedReference(StaffKiosk kiosk)
    {
        var clinic = new ReferenceClinicRow(1, "Поликлиника № 1", "№ 1 емхана", "Clinic No. 1", "Астана", null, ["D1"], [], 1);
        var doctors = new[] { BookingCentral.Doctor, BookingCentral.SecondDoctor }
            .Select(id => new ReferenceDoctorRow(id, 1, id == BookingCentral.Doctor ? "ДӘРІГЕР" : "ЕКІНШІ", "Д", null, "district-therapist", 20, "101", 1))
            .ToList();
        using (var c = kiosk.Database.Open())
            c.Execute("INSERT OR IGNORE INTO districts (code, name_ru, name_kk, name_en, in_city, version) VALUES ('D1', 'Р', 'Қ', 'E', 1, 1)");
        new ReferenceStore(kiosk.Database, TimeProvider.System).Apply(new ReferencePage([], [clinic], doctors, [], CompleteVersion: 1), DateTimeOffset.UtcNow);
    }

    private static Task<StaffKiosk> NodeAsync(string centralUrl) =>
        StaffKiosk.StartAsync($"--Central:BaseUrl={centralUrl}", $"--Sync:KioskId={IntakeCentral.KioskId}", $"--Sync:Credential={IntakeCentral.Credential}",
            "--Journals:Timeout=00:00:05");

    [Fact]
    public async Task A_registrar_reads_the_clinics_journals_live_from_Central_filtered_by_day_and_doctor_and_for_each_paper()
    {
        await using var b = await BookingCentral.StartAsync(ca);
        using (var c = b.Database.Open()) c.Execute("UPDATE kiosks SET clinic_id = 1 WHERE kiosk_id = @id", new { id = IntakeCentral.KioskId });
        var (attached, missing, third) = (b.Citizens[0], b.Citizens[1], b.Citizens[2]);
        b.Central.SetRegistry(missing, RegistryState.Missing);
        var call = await b.DecideAsync(b.Sign(attached, new HomeCallDetails("Астана, Бейбітшілік к-сі, 12", "+77011234567", HomeCallReasons.Fever)));
        var refusedCall = await b.DecideAsync(b.Sign(missing, new HomeCallDetails("Астана, Абай д-лы, 1", "+77011234567", HomeCallReasons.Other)));
        var booking = await b.DecideAsync(b.Sign(attached, b.Slot(BookingCentral.Doctor, 1)));
        var toCancel = b.Sign(third, b.Slot(BookingCentral.SecondDoctor, 2));
        var cancelled = await b.DecideAsync(toCancel);
        Assert.Equal("accepted", (await b.DecideAsync(b.Sign(third, new AppointmentCancellationDetails(toCancel.RequestId, BookingCentral.ClinicD1,
            BookingCentral.SecondDoctor, BookingCentral.SlotId(BookingCentral.SecondDoctor, 2), b.SlotStart(BookingCentral.SecondDoctor, 2))))).Status);

        await using var kiosk = await NodeAsync(CentralServerFixture.AddressOf(b.Central.App).ToString());
        SeedReference(kiosk);

        // Registrars only: nobody signed in goes to the sign-in; an operator without the registrar's role is refused.
        using (var anonymous = kiosk.NewClient())
        {
            var (none, _) = await anonymous.GetAsync($"{HomeCalls}?date={b.DayText()}");
            Assert.Equal(HttpStatusCode.Redirect, none.StatusCode);
            Assert.StartsWith("/staff/sign-in", none.Headers.Location!.PathAndQuery);
        }
        using (var op = kiosk.NewClient())
        {
            await kiosk.SignInAsync(op);
            foreach (var path in new[] { "/desk/journals", HomeCalls, Appointments })
            {
                var (refused, html) = await op.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
                Assert.DoesNotContain("journal-entries", html);
            }
            Assert.DoesNotContain("nav-journals", (await op.GetAsync("/staff")).Html);
        }

        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");
        var (_, desk) = await client.GetAsync("/desk");
        Assert.Contains("id=\"desk-journals\" href=\"/desk/journals\"", desk);
        Assert.Contains("id=\"nav-journals\" href=\"/desk/journals\"", desk);
        var (_, index) = await client.GetAsync("/desk/journals");
        Assert.Contains($"id=\"journal-home-calls\" href=\"{HomeCalls}\"", index);
        Assert.Contains($"id=\"journal-appointments\" href=\"{Appointments}\"", index);

        // The home-call journal of the day: both calls, masked, with channel and status.
        var (ok, calls) = await client.GetAsync($"{HomeCalls}?date={b.DayText()}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("data-count=\"2\"", calls);
        Assert.Contains($"<tr data-number=\"{call.RegistrationNumber}\" data-status=\"accepted\" data-channel=\"kiosk\">", calls);
        Assert.Contains($"<tr data-number=\"{refusedCall.RegistrationNumber}\" data-status=\"refused\" data-channel=\"kiosk\">", calls);
        Assert.Contains("******" + attached.Iin![6..], calls);
        Assert.Contains("Отказ: " + RefusalReasons.For(RefusalReasons.NotInRegistry, "ru"), calls);
        Assert.Contains("Астана, Бейбітшілік к-сі, 12", calls);
        Assert.Contains(">Киоск<", calls);
        Assert.Contains($"href=\"{HomeCalls}?date={b.DayText()}&amp;paper=a4\"", calls);
        Assert.Contains($"href=\"{HomeCalls}?date={b.DayText(1)}\"", calls);
        foreach (var person in b.Citizens) Assert.DoesNotContain(person.Iin!, calls);
        Assert.DoesNotContain("77011234567", calls);
        var (_, tomorrow) = await client.GetAsync($"{HomeCalls}?date={b.DayText(1)}");
        Assert.Contains("id=\"journal-empty\"", tomorrow);

        // The appointment journal of tomorrow: the booking and the cancelled one; one doctor's; the doctors from the node's reference data.
        var (_, appointments) = await client.GetAsync($"{Appointments}?date={b.DayText(1)}");
        Assert.Contains("data-count=\"2\"", appointments);
        Assert.Contains($"<tr data-number=\"{booking.RegistrationNumber}\" data-status=\"accepted\" data-channel=\"kiosk\" data-doctor=\"{BookingCentral.Doctor}\">", appointments);
        Assert.Contains($"<tr data-number=\"{cancelled.RegistrationNumber}\" data-status=\"cancelled\" data-channel=\"kiosk\" data-doctor=\"{BookingCentral.SecondDoctor}\">", appointments);
        Assert.Contains("Запись отменена", appointments);
        Assert.Contains($"<option value=\"{BookingCentral.SecondDoctor}\">ЕКІНШІ Д — Участковый терапевт</option>", appointments);
        var (_, one) = await client.GetAsync($"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.SecondDoctor}");
        Assert.Contains($"name=\"returnUrl\" value=\"{Appointments}?date={b.DayText(1)}&amp;doctor={BookingCentral.SecondDoctor}\"", one);
        Assert.Contains("data-count=\"1\"", one);
        Assert.Contains($"data-number=\"{cancelled.RegistrationNumber}\"", one);
        Assert.DoesNotContain($"data-number=\"{booking.RegistrationNumber}\"", one);
        Assert.Contains($"<option value=\"{BookingCentral.SecondDoctor}\" selected=\"selected\">", one);
        Assert.Contains($"href=\"{Appointments}?date={b.DayText(1)}&amp;doctor={BookingCentral.SecondDoctor}&amp;paper=80mm\"", one);

        // Bad filters are named; nothing is asked of Central for them.
        var (_, unknownDoctor) = await client.GetAsync($"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.OtherClinicDoctor}");
        Assert.Contains("data-problem=\"doctor-unknown\"", unknownDoctor);
        var (_, badDate) = await client.GetAsync($"{HomeCalls}?date=31.12.2026");
        Assert.Contains("data-problem=\"date-invalid\"", badDate);
        Assert.Contains("Неверная дата", badDate);

        // The papers: A4 (a table, its page rule), the 80 mm roll (stacked entries, its page rule); each with its header and a print button.
        var (_, a4) = await client.GetAsync($"{HomeCalls}?date={b.DayText()}&paper=a4");
        Assert.Contains("data-paper=\"a4\"", a4);
        Assert.Contains("/css/journal-a4.css", a4);
        Assert.Contains("id=\"journal-print\"", a4);
        Assert.Contains("<table class=\"journal-table\"", a4);
        Assert.Contains("id=\"journal-head-clinic\">Поликлиника № 1<", a4);
        Assert.Contains($"За {b.Central.Day:dd.MM.yyyy}", a4);
        Assert.Contains("/js/journal-print.js", a4);
        var (_, roll) = await client.GetAsync($"{Appointments}?date={b.DayText(1)}&doctor={BookingCentral.Doctor}&paper=80mm");
        Assert.Contains("data-paper=\"80mm\"", roll);
        Assert.Contains("/css/journal-80mm.css", roll);
        Assert.Contains("<ol class=\"journal-stack\"", roll);
        Assert.Contains("id=\"journal-head-doctor\">Врач: ДӘРІГЕР Д<", roll);
        Assert.DoesNotContain("<table", roll);

        // Central unlinks the kiosk from its clinic: the page says so.
        using (var c = b.Database.Open()) c.Execute("UPDATE kiosks SET clinic_id = NULL WHERE kiosk_id = @id", new { id = IntakeCentral.KioskId });
        var (_, unlinked) = await client.GetAsync($"{HomeCalls}?date={b.DayText()}");
        Assert.Contains("data-problem=\"no-clinic\"", unlinked);
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("Journal home-calls: Central says this kiosk serves no clinic"));

        foreach (var person in b.Citizens)
        {
            Assert.DoesNotContain(kiosk.Logs.Lines, l => l.Contains(person.Iin!));
            Assert.DoesNotContain(b.Central.Logs.Lines, l => l.Contains(person.Iin!));
        }
    }

    [Fact]
    public async Task With_Central_out_of_reach_the_journal_says_so_in_each_language_and_the_log_says_why()
    {
        // A loopback port nobody listens on: the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var kiosk = await NodeAsync($"http://127.0.0.1:{port}/");
        SeedReference(kiosk);
        using var client = kiosk.NewClient();
        await kiosk.SignInAsync(client, iin: NodeStaff.RegistrarIin, landing: "/desk");

        var expected = new Dictionary<string, string>
        {
            ["ru"] = "Журнал не получен: нет связи с центральным сервером.",
            ["kk"] = "Журнал алынбады: орталық сервермен байланыс жоқ.",
            ["en"] = "The journal could not be fetched: Central cannot be reached.",
        };
        foreach (var (lang, text) in expected)
        {
            await client.GetAsync("/desk/journals");
            await client.PostAsync("/language", [new("lang", lang), new("returnUrl", "/desk/journals")]);
            foreach (var path in new[] { HomeCalls, Appointments })
            {
                var (response, html) = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("data-problem=\"central-unavailable\"", html);
                Assert.Contains(text, html);
                Assert.DoesNotContain("id=\"journal-entries\"", html);
            }
        }
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("Journal home-calls could not be fetched from Central (unreachable)"));
        Assert.Contains(kiosk.Logs.Lines, l => l.Contains("Journal appointments could not be fetched from Central (unreachable)"));
    }
}
