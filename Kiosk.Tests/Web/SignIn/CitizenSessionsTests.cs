using Kiosk.Core.Identity;
using Kiosk.Web.SignIn;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.SignIn;

public class CitizenSessionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private static readonly Iin Iin = Iin.Create(new DateOnly(1985, 3, 14), Sex.Male, 1201);

    private SignedInCitizen Citizen => new(Iin, "ЖҰМАБЕКОВ", "АСХАТ", "СЕРІКҰЛЫ", "ЖҰМАБЕКОВ АСХАТ", "AB12", "home-call", _time.GetUtcNow());

    private CitizenSessions Sessions() => new(Options.Create(new SignInOptions { SessionIdleMinutes = 10 }), _time);

    [Fact]
    public void Each_sign_in_gets_a_fresh_unguessable_token_and_ending_it_ends_the_session()
    {
        var sessions = Sessions();
        var a = sessions.Start(Citizen);
        var b = sessions.Start(Citizen);

        Assert.NotEqual(a, b);
        Assert.True(a.Length >= 43, a);
        Assert.Equal(Iin, sessions.Find(a)!.Iin);
        Assert.True(sessions.End(a));
        Assert.Null(sessions.Find(a));
        Assert.False(sessions.End(a));
        Assert.NotNull(sessions.Find(b));
        Assert.Null(sessions.Find("made-up"));
        Assert.Null(sessions.Find(null));
    }

    [Fact]
    public void A_session_idle_longer_than_the_limit_is_gone_and_activity_keeps_it()
    {
        var sessions = Sessions();
        var token = sessions.Start(Citizen);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(sessions.Find(token));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(sessions.Find(token)); // 9 minutes after the last look
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(sessions.Find(token));
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public void The_citizen_prints_nothing_personal_and_shows_the_name_in_title_case()
    {
        var text = Citizen.ToString();
        Assert.DoesNotContain(Iin.Value, text);
        Assert.DoesNotContain("ЖҰМАБЕКОВ", text);
        Assert.Equal("Жұмабеков Асхат Серікұлы", Citizen.DisplayName(new System.Globalization.CultureInfo("kk-KZ")));
        Assert.Equal("******" + Iin.Value[6..], Citizen.Iin.Masked);
    }
}
