using Kiosk.Web.SignIn;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.SignIn;

public class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private SignInThrottle Throttle(int max = 5, int window = 10, int cooldown = 10) =>
        new(Options.Create(new SignInOptions { MaxFailures = max, FailureWindowMinutes = window, CooldownMinutes = cooldown }), _time);

    [Fact]
    public void Five_failures_within_ten_minutes_refuse_attempts_for_the_cooldown_then_allow_them_again()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure("session:a");
            _time.Advance(TimeSpan.FromMinutes(2));
            Assert.Null(throttle.RetryAfter("session:a"));
        }

        throttle.RecordFailure("session:a");
        Assert.Equal(TimeSpan.FromMinutes(10), throttle.RetryAfter("session:a"));

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.RetryAfter("session:a"));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(throttle.RetryAfter("session:a"));

        // The count starts afresh after a cooldown.
        throttle.RecordFailure("session:a");
        Assert.Null(throttle.RetryAfter("session:a"));
    }

    [Fact]
    public void Failures_older_than_the_window_do_not_count()
    {
        var throttle = Throttle();
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure("file:x");
            _time.Advance(TimeSpan.FromMinutes(3)); // never more than 4 within any 10 minutes
            Assert.Null(throttle.RetryAfter("file:x"));
        }
    }

    [Fact]
    public void Keys_are_counted_apart_and_any_blocked_key_refuses()
    {
        var throttle = Throttle(max: 2);
        throttle.RecordFailure("session:a", "file:x");
        throttle.RecordFailure("session:b", "file:x");

        Assert.Null(throttle.RetryAfter("session:a"));
        Assert.Null(throttle.RetryAfter("session:b"));
        Assert.NotNull(throttle.RetryAfter("file:x"));
        Assert.NotNull(throttle.RetryAfter("session:c", "file:x"));
        Assert.Null(throttle.RetryAfter("session:c", "file:y"));
    }

    [Fact]
    public void A_success_forgets_the_failures_of_its_keys()
    {
        var throttle = Throttle(max: 3);
        throttle.RecordFailure("session:a");
        throttle.RecordFailure("session:a");
        throttle.Forget("session:a");
        throttle.RecordFailure("session:a");
        throttle.RecordFailure("session:a");
        Assert.Null(throttle.RetryAfter("session:a"));
    }

    [Fact]
    public void Memory_stays_bounded_under_a_flood_of_distinct_keys()
    {
        var throttle = Throttle();
        for (var i = 0; i < SignInThrottle.MaxTrackedKeys * 2; i++) throttle.RecordFailure("file:" + i);
        Assert.True(throttle.TrackedKeys <= SignInThrottle.MaxTrackedKeys, $"{throttle.TrackedKeys} keys tracked");
    }
}
