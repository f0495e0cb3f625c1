using System.Text.Json;
using Dapper;
using Kiosk.Core.Feedback;
using Kiosk.Tests.Web.Staff;

namespace Kiosk.Tests.Web.Desk;

/// <summary>
/// Table 2's clocks at the desk over HTTP on the real app with the node's fake clock (issue 12 item 6): a registrar's
/// sign-in and the choice of service are timed from the screen shown to the step done; an operator's sign-in is not a
/// desk step; a registry look-up that got no answer is not a registry time. The full walk (form, signing, look-up with
/// Central) is timed in DeskBrowserTests.
/// </summary>
public sealed class DeskStepTimesHttpTests
{
    private static List<(string Step, string? Service, long Ms)> Steps(StaffKiosk kiosk)
    {
        using var c = kiosk.Database.Open();
        return c.Query<string>("SELECT payload FROM feedback_outbox WHERE kind = 'step-time'").Select(p =>
        {
            using var json = JsonDocument.Parse(p);
            var root = json.RootElement;
            return (root.GetProperty("step").GetString()!, root.TryGetProperty("service", out var s) ? s.GetString() : null,
                root.GetProperty("durationMs").GetInt64());
        }).ToList();
    }

    [Fact]
    public async Task A_registrars_sign_in_and_choice_of_service_are_timed_an_operators_sign_in_is_not()
    {
        await using var kiosk = await StaffKiosk.StartAsync();

        using var op = kiosk.NewClient();
        await op.GetAsync("/staff/sign-in");
        kiosk.Time.Advance(TimeSpan.FromSeconds(7));
        await kiosk.SignInAsync(op); // GETs the form again: the clock that runs is not restarted
        Assert.Empty(Steps(kiosk));

        using var registrar = kiosk.NewClient();
        await registrar.GetAsync("/staff/sign-in");
        kiosk.Time.Advance(TimeSpan.FromSeconds(12));
        await kiosk.SignInAsync(registrar, iin: NodeStaff.RegistrarIin, landing: "/desk");
        Assert.Equal([(StepCatalogue.StaffSignIn, null, 12_000L)], Steps(kiosk));

        await registrar.GetAsync("/desk");
        kiosk.Time.Advance(TimeSpan.FromSeconds(4));
        await registrar.GetAsync("/desk"); // the menu again: still the same clock
        kiosk.Time.Advance(TimeSpan.FromSeconds(2));
        await registrar.GetAsync("/desk/citizen?service=appointment");
        Assert.Contains((StepCatalogue.ServiceChoice, "appointment", 6_000L), Steps(kiosk));

        // No Central: the look-up gets no answer, which is not a registry time (process 4 all the same).
        var (_, html) = await registrar.PostAsync("/desk/citizen", [new("Service", "appointment"), new("Iin", "850314312017")]);
        Assert.Contains("data-problem=\"registry-unavailable\"", html);
        Assert.DoesNotContain(Steps(kiosk), s => s.Step == StepCatalogue.RegistryLookup);
        Assert.Equal(2, Steps(kiosk).Count);
        // Nothing of the registrar goes with a step.
        Assert.DoesNotContain(kiosk.Database.Open().Query<string>("SELECT payload FROM feedback_outbox"), p => p.Contains(NodeStaff.RegistrarIin));
    }
}
