using System.Net;
using System.Text.Json;
using Kiosk.Core.Feedback;
using Kiosk.Core.Requests;
using Kiosk.Core.Time;
using Kiosk.Node.Feedback;
using Kiosk.Tests.Web.HomeCall;
using Kiosk.Tests.Web.SignIn;
using Kiosk.Tests.Web.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.Feedback;

/// <summary>
/// The step times of table 1 measured at the kiosk (issue 12 item 6), over real HTTP with the node's clock replaced by a
/// fake one that the test moves: a home call's sign-in, form, and sign and send each give one step-time item with the
/// exact time spent, once per request however the citizen goes back and forth, and with nothing personal in it.
/// </summary>
public sealed class StepTimesHttpTests
{
    [Fact]
    public async Task A_home_call_records_sign_in_form_and_sign_and_send_once_each_with_the_time_they_took()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await KioskAppHost.StartAsync(b => b.Services.AddSingleton<TimeProvider>(clock),
            $"--Pki:TrustDirectory={SignInDemoCa.TrustDirectory}", "--Sync:KioskId=kiosk-steps-1");
        var auth = SignInDemoCa.One("valid", "AUTH", 0);
        var sign = SignInDemoCa.Manifest.Files.Single(f => f.Case == "valid" && f.KeyType == "SIGN" && f.Iin == auth.Iin);
        using var client = host.NewClient();

        // Sign-in: the screen shown, 40 s later signed in (a wrong password in between is part of the step).
        await SignInHttpTests.ChooseAsync(client, "home-call");
        clock.Advance(TimeSpan.FromSeconds(15));
        var (wrong, _) = await SignInHttpTests.SignInAsync(client, SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File), password: "not-it");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(25));
        var (signedIn, _) = await SignInHttpTests.SignInAsync(client, SignInDemoCa.Bytes(auth), Path.GetFileName(auth.File));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // Form: first shown, 70 s to the review; back to the form and to the review again changes nothing.
        await client.GetAsync(HomeCallHttpTests.FormPath);
        clock.Advance(TimeSpan.FromSeconds(70));
        var (posted, _) = await client.PostAsync(HomeCallHttpTests.FormPath,
            [new("Address", "Астана, Бейбітшілік 12, 3-пәтер"), new("Phone", "+7 701 123 45 67"), new("Reason", HomeCallReasons.Fever), new("Note", "")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await client.GetAsync(HomeCallHttpTests.ReviewPath);
        clock.Advance(TimeSpan.FromSeconds(20));
        await client.GetAsync(HomeCallHttpTests.FormPath);
        clock.Advance(TimeSpan.FromSeconds(5));
        await client.GetAsync(HomeCallHttpTests.ReviewPath);

        // Sign and send: from the review first shown to the receipt, 20 + 5 + 30 s.
        clock.Advance(TimeSpan.FromSeconds(30));
        var (signed, signedHtml) = await HomeCallHttpTests.SignAsync(client, SignInDemoCa.Bytes(sign), Path.GetFileName(sign.File));
        Assert.True(signed.StatusCode == HttpStatusCode.Redirect, string.Join(",", SignInHttpTests.Problems(signedHtml)));

        var items = new FeedbackOutbox(StatusRows.Database(host.DatabasePath)).All();
        Assert.All(items, i => Assert.Equal(FeedbackKinds.StepTime, i.Kind));
        var steps = items.Select(i => StepTime.FromPayload(JsonDocument.Parse(i.Payload).RootElement))
            .ToDictionary(s => s.Step, s => (s.Service, s.DurationMs, s.Day));
        var today = AstanaTime.Today(clock);
        Assert.Equal(new Dictionary<string, (string?, long, DateOnly)>
        {
            [StepCatalogue.SignIn] = ("home-call", 40_000, today),
            [StepCatalogue.Form] = ("home-call", 70_000, today),
            [StepCatalogue.SignAndSend] = ("home-call", 55_000, today),
        }, steps);
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.DoesNotContain(auth.Iin!, i.Payload));

        // A second home call in the same session is timed afresh: a new form and a new sign and send.
        await client.GetAsync(HomeCallHttpTests.FormPath);
        clock.Advance(TimeSpan.FromSeconds(12));
        await client.PostAsync(HomeCallHttpTests.FormPath,
            [new("Address", "Астана, Бейбітшілік 12, 3-пәтер"), new("Phone", "+7 701 123 45 67"), new("Reason", HomeCallReasons.Other), new("Note", "")]);
        await client.GetAsync(HomeCallHttpTests.ReviewPath);
        var again = new FeedbackOutbox(StatusRows.Database(host.DatabasePath)).All()
            .Select(i => StepTime.FromPayload(JsonDocument.Parse(i.Payload).RootElement)).Where(s => s.Step == StepCatalogue.Form).ToList();
        Assert.Equal([12_000L, 70_000L], again.Select(s => s.DurationMs).Order());
    }
}
