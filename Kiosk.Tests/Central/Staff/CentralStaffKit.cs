using System.Net;
using Kiosk.Central.Staff;
using Kiosk.Core.Identity;
using Kiosk.Core.Staff;
using Kiosk.Tests.Central.Intake;
using Kiosk.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Kiosk.Tests.Central.Staff;

/// <summary>Staff accounts for tests of Central (issue 12 item 1): valid IINs and BINs, one password, and a sign-in.</summary>
public static class CentralStaffKit
{
    public const string Password = "staff password for tests 2026";
    public const string OperatorIin = "850315300128";
    public const string RegistrarIin = "900712400342";
    public const string BothIin = "781102300563";
    public const string OtherClinicRegistrarIin = "880205400786";
    public const string ProviderBin = "010440000015";
    public const string ClinicBin = "050540000105";
    public const string OtherClinicBin = "050540000204";

    /// <summary>Central's options for staff tests: the provider's BIN, and the cookie not Secure (tests speak plain HTTP).</summary>
    public static readonly string[] Options = [$"--Staff:ProviderBin={ProviderBin}", "--Staff:SecureCookies=false"];

    public static StaffRegister Register(IntakeCentral central) => central.App.Services.GetRequiredService<StaffRegister>();

    public static void Add(IntakeCentral central, string iin, string roles, string bin, string password = Password, string name = "Тестова Анна") =>
        Assert.Equal(StaffChange.Done, Register(central).Add(Iin.Parse(iin), name, Bin.Parse(bin), StaffRoles.Parse(roles)!, StaffPasswords.Hash(password)));

    /// <summary>Gives the tiny registry's clinics 1 and 2 their BINs and links the test kiosk to clinic 1.</summary>
    public static void LinkKioskToClinic(IntakeCentral central, long clinicId = IntakeCentral.OpenClinic)
    {
        using var c = central.Database.Open();
        Dapper.SqlMapper.Execute(c, "UPDATE clinics SET bin = CASE id WHEN 1 THEN @a WHEN 2 THEN @b END WHERE id IN (1, 2)", new { a = ClinicBin, b = OtherClinicBin });
        Dapper.SqlMapper.Execute(c, "UPDATE kiosks SET clinic_id = @clinicId WHERE kiosk_id = @kiosk", new { clinicId, kiosk = IntakeCentral.KioskId });
    }

    /// <summary>Posts the sign-in form (after fetching it for its antiforgery token); returns the answer.</summary>
    public static async Task<(HttpResponseMessage Response, string Html)> SignInAsync(KioskClient browser, string iin, string password = Password)
    {
        await browser.GetAsync("/staff/sign-in");
        return await browser.PostAsync("/staff/sign-in", [new("Iin", iin), new("Password", password)]);
    }

    /// <summary>Where a redirect goes, as a local path (the cookie handler writes absolute URLs).</summary>
    public static string Where(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location?.OriginalString ?? "";

    /// <summary>Signs in and asserts it went to the fleet page.</summary>
    public static async Task SignInOperatorAsync(KioskClient browser, string iin = OperatorIin)
    {
        var (response, html) = await SignInAsync(browser, iin);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {html}");
        Assert.Equal("/fleet", response.Headers.Location?.OriginalString);
    }
}
