using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Kiosk.Core.Eds;
using Kiosk.Core.Eds.Demo;
using Kiosk.Core.Requests;
using Kiosk.Tests.Eds;
using Kiosk.Tests.Support;
using Kiosk.Tests.Web.SignIn;
using Microsoft.Data.Sqlite;

namespace Kiosk.Tests.Web.HomeCall;

/// <summary>A kiosk (the real app on Kestrel) with the demo CA's trust folder and a configured kiosk id.</summary>
public sealed class HomeCallAppFixture : IAsyncLifetime
{
    public const string KioskId = "kiosk-test-7";

    public KioskAppHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await KioskAppHost.StartAsync($"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", $"--Sync:KioskId={KioskId}");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The home call over real HTTP: sign in, fill in the form, review, sign with the signing key, accepted; the signed
/// request and its queued outbox row in the kiosk's SQLite file; refusals, validation and the guards.
/// </summary>
public partial class HomeCallHttpTests(HomeCallAppFixture fixture) : IClassFixture<HomeCallAppFixture>
{
    public const string FormPath = "/services/home-call";
    public const string ReviewPath = "/services/home-call/review";
    public const string AcceptedPath = "/services/home-call/accepted";

    [Fact]
    public async Task HomeCall_signed_with_the_citizens_signing_key_is_saved_and_queued_and_the_accepted_page_says_so()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 0);
        var sign = SignInDemoCa.One("valid", "SIGN", 0);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);

        var (form, formHtml) = await client.GetAsync(FormPath);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.True(form.Headers.CacheControl?.NoStore == true);
        Assert.DoesNotContain("value=", InputTag(formHtml, "address")); // no registry address yet: the field starts empty
        Assert.Contains("data-osk=\"numeric\"", formHtml);
        Assert.Equal(HomeCallReasons.All.ToList(),
            Regex.Matches(formHtml, "name=\"Reason\" value=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList());
        Assert.Contains("Температура выше 38 °C", WebUtility.HtmlDecode(formHtml));
        Assert.DoesNotContain(auth.Iin!, formHtml);

        // Typed with stray spaces, a decomposed "й" (и + U+0306) and a phone in the usual local form.
        var typedAddress = "  Астана,  ул. Бейбітшілік 12,\tкв. 3" + "и\u0306  ";
        var (posted, _) = await PostFormAsync(client, typedAddress, "8 (701) 123-45-67", HomeCallReasons.Fever, " Температура 38,7 ");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(ReviewPath, posted.Headers.Location?.OriginalString);
        Assert.DoesNotContain("701", posted.Headers.Location!.OriginalString);

        var (review, reviewHtml) = await client.GetAsync(ReviewPath);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.True(review.Headers.CacheControl?.NoStore == true);
        var requestId = Guid.Parse(RequestIdOf(reviewHtml));
        var text = WebUtility.HtmlDecode(reviewHtml);
        Assert.Contains("Астана, ул. Бейбітшілік 12, кв. 3й", text);
        Assert.Contains("+7 701 123 45 67", text);
        Assert.Contains("Температура выше 38 °C", text);
        Assert.Contains("Температура 38,7", text);
        Assert.Contains("RSA256_", text);
        Assert.Contains("AUTH_RSA256_", text);
        Assert.Contains("******" + auth.Iin![6..], text);
        Assert.DoesNotContain(auth.Iin!, text);

        var (signed, signedHtml) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));
        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(signedHtml)));
        Assert.Equal(AcceptedPath, signed.Headers.Location?.OriginalString);

        var (accepted, acceptedHtml) = await client.GetAsync(AcceptedPath);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(accepted.Headers.CacheControl?.NoStore == true);
        Assert.Contains($"data-request-id=\"{requestId:D}\"", acceptedHtml);
        var shortNumber = requestId.ToString("N")[..8].ToUpperInvariant();
        Assert.Contains($"{shortNumber[..4]}-{shortNumber[4..]}", acceptedHtml);
        Assert.Contains("В очереди — будет отправлена в поликлинику", WebUtility.HtmlDecode(acceptedHtml));
        Assert.Contains("Вызов врача на дом", acceptedHtml);
        Assert.DoesNotContain(auth.Iin!, acceptedHtml);

        // In the kiosk's file: the signed request and its queued outbox row.
        var stored = StoredRequest(fixture.Host.DatabasePath, requestId);
        Assert.NotNull(stored);
        Assert.Equal<(string, long)?>(("queued", 0L), Outbox(fixture.Host.DatabasePath, requestId));
        var document = RequestDocument.Parse(stored.Value.Document);
        Assert.Equal(requestId, document.RequestId);
        Assert.Equal(auth.Iin, document.ApplicantIin.Value);
        Assert.Equal(HomeCallAppFixture.KioskId, document.KioskId);
        Assert.Equal("ru", document.Language);
        var details = Assert.IsType<HomeCallDetails>(document.Details);
        Assert.Equal("Астана, ул. Бейбітшілік 12, кв. 3й", details.Address);
        Assert.True(details.Address.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("+77011234567", details.Phone);
        Assert.Equal(HomeCallReasons.Fever, details.ReasonCode);
        Assert.Equal("Температура 38,7", details.Note);
        AssertOpenSslVerifies(stored.Value.Document, stored.Value.Signature);

        // The draft is gone: the review sends back to an empty form, and a replayed sign post stores nothing new.
        Assert.Equal(FormPath, (await client.GetAsync(ReviewPath)).Response.Headers.Location?.OriginalString);
        var (again, againHtml) = await client.GetAsync(FormPath);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.DoesNotContain("value=", InputTag(againHtml, "address"));
        // A second tap on "Sign and send" shows the same receipt (not an empty form inviting a second call).
        var (replay, _) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File), fetch: false);
        Assert.Equal(AcceptedPath, replay.Headers.Location?.OriginalString);
        Assert.Contains($"data-request-id=\"{requestId:D}\"", (await client.GetAsync(AcceptedPath)).Html);
        Assert.Equal(1, RowsFor(fixture.Host.DatabasePath, auth.Iin!));
    }

    [Fact]
    public async Task HomeCall_by_the_ecdsa_citizen_is_signed_with_the_ecdsa_signing_file()
    {
        var auth = SignInDemoCa.One("ecdsa-p256", "AUTH");
        var sign = SignInDemoCa.One("ecdsa-p256", "SIGN");
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);
        await PostFormAsync(client, "Алматы, Абай даңғылы 10, 5-пәтер", "+7 727 250 00 00", HomeCallReasons.ChronicCondition, "");
        var (_, reviewHtml) = await client.GetAsync(ReviewPath);
        var requestId = Guid.Parse(RequestIdOf(reviewHtml));

        var (signed, html) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));

        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(html)));
        var stored = StoredRequest(fixture.Host.DatabasePath, requestId);
        Assert.NotNull(stored);
        var details = Assert.IsType<HomeCallDetails>(RequestDocument.Parse(stored.Value.Document).Details);
        Assert.Equal("+77272500000", details.Phone);
        Assert.Null(details.Note);
        Assert.Equal<(string, long)?>(("queued", 0L), Outbox(fixture.Host.DatabasePath, requestId));
    }

    [Fact]
    public async Task HomeCall_refusals_at_signing_show_their_code_keep_the_draft_and_write_nothing()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 1);
        var otherCitizensSigningFile = SignInDemoCa.One("valid", "SIGN", 2);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);
        await PostFormAsync(client, "Қарағанды, Бұқар жырау 5", "87771234567", HomeCallReasons.DangerousInfection, "");
        var (_, reviewHtml) = await client.GetAsync(ReviewPath);
        var requestId = RequestIdOf(reviewHtml);

        var cases = new (byte[] Bytes, string Name, string Password, string Code)[]
        {
            (SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File), SignInDemoCa.Password, EdsProblemCodes.WrongKeyUsage),
            (SignInDemoCa.Bytes(otherCitizensSigningFile), Path.GetFileName(otherCitizensSigningFile.File), SignInDemoCa.Password,
                EdsProblemCodes.IinMismatch),
            (SignInDemoCa.Bytes(SignInDemoCa.One("valid", "SIGN", 1)), "RSA256_x.p12", "wrong-password1", Pkcs12KeyFile.Codes.WrongPassword),
            ("не ключ"u8.ToArray(), "RSA256_y.p12", SignInDemoCa.Password, Pkcs12KeyFile.Codes.NotPkcs12),
        };
        foreach (var (bytes, name, password, code) in cases)
        {
            var (response, html) = await SignAsync(client, bytes, name, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([code], SignInHttpTests.Problems(html));
            Assert.Contains(EdsMessages.For(code, "ru"), WebUtility.HtmlDecode(html));
            Assert.Equal(requestId, RequestIdOf(html)); // the same draft, still there
            Assert.Contains("Қарағанды, Бұқар жырау 5", WebUtility.HtmlDecode(html));
            Assert.DoesNotContain(password, html);
        }
        Assert.Equal(0, RowsFor(fixture.Host.DatabasePath, auth.Iin!));
        Assert.Equal(0L, OutboxRows(fixture.Host.DatabasePath, Guid.Parse(requestId)));

        // The form checks before anything is opened: no file, no password.
        var (missing, missingHtml) = await client.PostAsync(ReviewPath, [new("Password", "")]);
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Equal(["file-missing", "password-missing"], SignInHttpTests.Problems(missingHtml));

        // The right file after the refusals signs the very same draft.
        var sign = SignInDemoCa.One("valid", "SIGN", 1);
        var (signed, _) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));
        Assert.Equal(AcceptedPath, signed.Headers.Location?.OriginalString);
        Assert.NotNull(StoredRequest(fixture.Host.DatabasePath, Guid.Parse(requestId)));
    }

    [Fact]
    public async Task HomeCall_with_a_revoked_signing_key_is_refused_as_revoked()
    {
        var auth = SignInDemoCa.One("revoked-signing-key", "AUTH");
        var sign = SignInDemoCa.One("revoked-signing-key", "SIGN");
        Assert.Equal([EdsProblemCodes.Revoked], sign.ExpectedAtSigning);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);
        await PostFormAsync(client, "Шымкент, Тауке хан 1", "7051234567", HomeCallReasons.Other, "Прошу позвонить заранее");

        var (response, html) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([EdsProblemCodes.Revoked], SignInHttpTests.Problems(html));
        Assert.Contains(EdsMessages.For(EdsProblemCodes.Revoked, "ru"), WebUtility.HtmlDecode(html));
        Assert.Equal(0, RowsFor(fixture.Host.DatabasePath, auth.Iin!));
    }

    [Fact]
    public async Task HomeCall_signing_failures_are_throttled_like_sign_in()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 3);
        var sign = SignInDemoCa.One("valid", "SIGN", 3);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);
        await PostFormAsync(client, "Павлодар, Торайғыров 64", "87011112233", HomeCallReasons.LooseStools, "");
        for (var i = 0; i < 5; i++)
        {
            var (_, html) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File), "guess-" + i);
            Assert.Equal([Pkcs12KeyFile.Codes.WrongPassword], SignInHttpTests.Problems(html));
        }

        var (_, refused) = await SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));

        Assert.Equal(["too-many-attempts"], SignInHttpTests.Problems(refused));
        Assert.Contains("Подождите 10 мин.", refused);
        Assert.Equal(0, RowsFor(fixture.Host.DatabasePath, auth.Iin!));
    }

    [Fact]
    public async Task HomeCall_form_problems_come_back_translated_and_nothing_is_drafted()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 0);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);

        var (response, html) = await PostFormAsync(client, "   ", "12345", null, "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["address-missing", "phone-invalid", "reason-missing"], SignInHttpTests.Problems(html));
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("Наберите адрес, куда прийти врачу.", text);
        Assert.Contains("Выберите причину вызова.", text);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains("value=\"12345\"", html); // what was typed comes back
        Assert.Equal(FormPath, (await client.GetAsync(ReviewPath)).Response.Headers.Location?.OriginalString);

        var (_, tooLong) = await PostFormAsync(client, new string('д', 301), "", HomeCallReasons.Fever, new string('n', 501));
        Assert.Equal(["address-too-long", "phone-missing", "note-too-long"], SignInHttpTests.Problems(tooLong));

        // In Kazakh.
        await client.GetAsync(FormPath);
        await client.PostAsync("/language", [new("lang", "kk"), new("returnUrl", FormPath)]);
        var (_, kk) = await PostFormAsync(client, "ab", "+7 999 123 45 67", "x-ray", "");
        Assert.Equal(["address-too-short", "phone-invalid", "reason-missing"], SignInHttpTests.Problems(kk));
        var kkText = WebUtility.HtmlDecode(kk);
        Assert.Contains("Мекенжай тым қысқа: қаланы, көшені және үйді көрсетіңіз.", kkText);
        Assert.Contains("Шақыру себебін таңдаңыз.", kkText);
        Assert.Contains("Дене қызуы 38 °C-тан жоғары", kkText);
    }

    [Fact]
    public async Task HomeCall_pages_need_a_signed_in_citizen_and_are_never_cached()
    {
        using var client = fixture.Host.NewClient();
        await client.GetAsync("/"); // an antiforgery token of an anonymous visitor
        foreach (var path in new[] { FormPath, ReviewPath, AcceptedPath })
        {
            var (response, _) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location?.OriginalString);
            Assert.True(response.Headers.CacheControl?.NoStore == true);
        }
        await client.GetAsync("/");
        var sign = SignInDemoCa.One("valid", "SIGN", 0);
        var (post, _) = await client.PostAsync(ReviewPath, [new("Password", SignInDemoCa.Password)],
            file: ("KeyFile", "RSA256_x.p12", SignInDemoCa.Bytes(sign)));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/", post.Headers.Location?.OriginalString);
        await client.GetAsync("/");
        var (formPost, _) = await client.PostAsync(FormPath, [new("Address", "Астана, 1"), new("Phone", "87011234567"), new("Reason", "fever")]);
        Assert.Equal("/", formPost.Headers.Location?.OriginalString);

        // Without the antiforgery token a post is refused outright.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(ReviewPath, [], withToken: false)).Response.StatusCode);

        // Signed in but with no draft: review and accepted send to the form.
        await SignInForHomeCallAsync(client, SignInDemoCa.One("valid", "AUTH", 2));
        Assert.Equal(FormPath, (await client.GetAsync(ReviewPath)).Response.Headers.Location?.OriginalString);
        Assert.Equal(FormPath, (await client.GetAsync(AcceptedPath)).Response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HomeCall_draft_ends_with_the_session_so_the_next_person_finds_nothing()
    {
        var auth = SignInDemoCa.One("valid", "AUTH", 2);
        using var client = fixture.Host.NewClient();
        await SignInForHomeCallAsync(client, auth);
        await PostFormAsync(client, "Атырау, Сәтпаев 7", "87012223344", HomeCallReasons.Fever, "");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ReviewPath)).Response.StatusCode);

        await client.GetAsync("/reset"); // the inactivity reset
        Assert.Equal("/", (await client.GetAsync(ReviewPath)).Response.Headers.Location?.OriginalString);

        await SignInForHomeCallAsync(client, auth);
        Assert.Equal(FormPath, (await client.GetAsync(ReviewPath)).Response.Headers.Location?.OriginalString);
        var (_, form) = await client.GetAsync(FormPath);
        Assert.DoesNotContain("Атырау", form);
        Assert.DoesNotContain("value=", InputTag(form, "phone"));
    }

    internal static async Task SignInForHomeCallAsync(KioskClient client, DemoCaEntry auth)
    {
        await SignInHttpTests.ChooseAsync(client, "home-call");
        var (response, html) = await SignInHttpTests.SignInAsync(client, SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(html)));
        Assert.Equal(FormPath, response.Headers.Location?.OriginalString);
    }

    internal static async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(KioskClient client, string address, string phone,
        string? reason, string note)
    {
        await client.GetAsync(FormPath);
        var fields = new List<KeyValuePair<string, string>> { new("Address", address), new("Phone", phone), new("Note", note) };
        if (reason is not null) fields.Add(new("Reason", reason));
        return await client.PostAsync(FormPath, fields);
    }

    internal static async Task<(HttpResponseMessage Response, string Html)> SignAsync(KioskClient client, byte[] file, string name,
        string password = SignInDemoCa.Password, bool fetch = true)
    {
        if (fetch) await client.GetAsync(ReviewPath);
        return await client.PostAsync(ReviewPath, [new("Password", password)], file: ("KeyFile", name, file));
    }

    /// <summary>The whole &lt;input&gt; tag with this id.</summary>
    internal static string InputTag(string html, string id) =>
        Regex.Match(html, $"<input[^>]*\\bid=\"{id}\"[^>]*>") is { Success: true } m ? m.Value : throw new Xunit.Sdk.XunitException($"no #{id}");

    internal static string RequestIdOf(string html) => RequestIdAttribute().Match(html) is { Success: true } m
        ? m.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("no data-request-id on the page");

    internal static (byte[] Document, byte[] Signature)? StoredRequest(string databasePath, Guid requestId)
    {
        using var connection = Open(databasePath);
        var rows = connection.Query<(byte[] Document, byte[] Signature)>(
            "SELECT document, signature FROM signed_requests WHERE request_id = @id", new { id = requestId.ToString("D") }).ToList();
        return rows.Count == 0 ? null : rows[0];
    }

    internal static (string State, long Attempts)? Outbox(string databasePath, Guid requestId)
    {
        using var connection = Open(databasePath);
        var rows = connection.Query<(string State, long Attempts)>(
            "SELECT state, attempts FROM outbox WHERE request_id = @id", new { id = requestId.ToString("D") }).ToList();
        return rows.Count == 0 ? null : rows[0];
    }

    internal static long OutboxRows(string databasePath, Guid requestId)
    {
        using var connection = Open(databasePath);
        return connection.ExecuteScalar<long>("SELECT count(*) FROM outbox WHERE request_id = @id", new { id = requestId.ToString("D") });
    }

    internal static int RowsFor(string databasePath, string iin)
    {
        using var connection = Open(databasePath);
        return connection.ExecuteScalar<int>("SELECT count(*) FROM signed_requests WHERE applicant_iin = @iin", new { iin });
    }

    /// <summary>openssl checks the stored pair against the demo root, as anyone auditing the kiosk would.</summary>
    internal static void AssertOpenSslVerifies(byte[] document, byte[] signature)
    {
        using var dir = new TempDirectory("homecall-openssl");
        File.WriteAllBytes(dir.File("doc.json"), document);
        File.WriteAllBytes(dir.File("sig.p7s"), signature);
        var root = Path.Combine(SignInDemoCa.Ca.OutputDirectory, "ca", "root-ca.pem");
        var result = OpenSsl.TryRun(dir.Path, "cms", "-verify", "-binary", "-inform", "DER", "-content", "doc.json", "-in", "sig.p7s",
            "-CAfile", root, "-purpose", "any", "-out", "verified.out");
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(document, File.ReadAllBytes(dir.File("verified.out")));
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    [GeneratedRegex("data-request-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex RequestIdAttribute();
}
