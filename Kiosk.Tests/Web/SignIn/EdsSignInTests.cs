using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kiosk.Core.Eds;
using Kiosk.Web.SignIn;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kiosk.Tests.Web.SignIn;

/// <summary>The sign-in service over the demo CA's files, at a fake time: checks, proof, throttling, logs.</summary>
public sealed class EdsSignInTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(SignInDemoCa.Manifest.GeneratedAt.AddMinutes(1));
    private readonly ListLogger<EdsSignIn> _log = new();
    private readonly List<KioskTrust> _trusts = [];
    private static readonly byte[] Nonce = ProofOfPossession.CreateNonce();

    private EdsSignIn Service(string? trustDirectory = null, StaleCrlPolicy stale = StaleCrlPolicy.Reject, SignInThrottle? throttle = null)
    {
        var trust = new KioskTrust(
            Options.Create(new PkiOptions { TrustDirectory = trustDirectory ?? SignInDemoCa.TrustDirectory, StaleCrl = stale }),
            NullLogger<KioskTrust>.Instance, _time);
        _trusts.Add(trust);
        return new EdsSignIn(trust, throttle ?? Throttle(), _time, _log);
    }

    private SignInThrottle Throttle() => new(Options.Create(new SignInOptions()), _time);

    private static SignInAttempt Attempt(EdsSignIn service, byte[] file, string password = SignInDemoCa.Password,
        string session = "s1", byte[]? nonce = null) =>
        service.Attempt(file, password, nonce ?? Nonce, session, "home-call");

    [Fact]
    public void The_good_auth_file_signs_in_with_the_iin_the_name_and_the_thumbprint_only()
    {
        var entry = SignInDemoCa.One("valid");
        var attempt = Attempt(Service(), SignInDemoCa.Bytes(entry));

        Assert.True(attempt.Success, string.Join(",", attempt.Problems));
        var citizen = attempt.Citizen!;
        Assert.Equal(entry.Iin, citizen.Iin.Value);
        Assert.StartsWith(citizen.Surname!, entry.Holder);
        Assert.NotNull(citizen.FirstName);
        Assert.Equal(64, citizen.Thumbprint.Length);
        Assert.Equal("home-call", citizen.ServiceCode);
        Assert.Equal(_time.GetUtcNow(), citizen.SignedInAt);
        Assert.Contains(_log.Lines, l => l.Contains("EDS sign-in succeeded") && l.Contains(entry.SerialNumber, StringComparison.OrdinalIgnoreCase));
        AssertNothingPersonalLogged(entry);
    }

    [Fact]
    public void The_ecdsa_p256_citizen_signs_in()
    {
        var attempt = Attempt(Service(), SignInDemoCa.Bytes(SignInDemoCa.One("ecdsa-p256")));
        Assert.True(attempt.Success, string.Join(",", attempt.Problems));
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "valid", "SIGN" },
        { "expired", "AUTH" },
        { "not-yet-valid", "AUTH" },
        { "revoked", "AUTH" },
        { "lookalike-ca", "AUTH" },
        { "bad-iin-check-digit", "AUTH" },
        { "no-iin", "AUTH" },
        { "rsa-1024", "AUTH" },
        { "revoked-sub-ca", "AUTH" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Every_hostile_file_is_refused_with_exactly_the_codes_of_the_manifest(string @case, string keyType)
    {
        var entry = SignInDemoCa.One(@case, keyType);
        Assert.NotEmpty(entry.ExpectedAtSignIn);

        var attempt = Attempt(Service(), SignInDemoCa.Bytes(entry));

        Assert.False(attempt.Success);
        Assert.Equal(entry.ExpectedAtSignIn.Order(), attempt.Problems.Order());
        Assert.Contains(_log.Lines, l => l.Contains("EDS sign-in refused") && l.Contains(entry.SerialNumber, StringComparison.OrdinalIgnoreCase));
        AssertNothingPersonalLogged(entry);
    }

    [Fact]
    public void Key_file_errors_have_their_own_codes()
    {
        var service = Service();
        var good = SignInDemoCa.Bytes(SignInDemoCa.One("valid", index: 1));

        Assert.Equal(["wrong-password"], Attempt(service, good, "not-the-password").Problems);
        Assert.Equal(["not-pkcs12"], Attempt(service, "just some text\n"u8.ToArray()).Problems);
        Assert.Equal(["no-private-key"], Attempt(service, SignInDemoCa.CertificateOnlyFile()).Problems);
        Assert.Equal(["file-too-large"], Attempt(service, new byte[65 * 1024]).Problems);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("not-the-password"));
    }

    [Fact]
    public void Possession_is_proved_over_the_given_nonce()
    {
        // ProofOfPossession refuses a nonce under 16 bytes: a sign-in that did not get a real nonce cannot succeed.
        var attempt = Attempt(Service(), SignInDemoCa.Bytes(SignInDemoCa.One("valid")), nonce: new byte[4]);
        Assert.Equal([SignInProblems.ProofFailed], attempt.Problems);
    }

    [Fact]
    public void Five_failures_in_a_session_refuse_even_the_right_password_until_the_cooldown_ends()
    {
        var service = Service();
        var file = SignInDemoCa.Bytes(SignInDemoCa.One("valid", index: 2));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(["wrong-password"], Attempt(service, file, "guess" + i, session: "s-throttle").Problems);
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        var refused = Attempt(service, file, session: "s-throttle");
        Assert.Equal([SignInProblems.TooManyAttempts], refused.Problems);
        Assert.Equal(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(30), refused.RetryAfter); // from the fifth failure

        // Node-wide: a fresh session does not bring fresh guesses at the same key file.
        Assert.Equal([SignInProblems.TooManyAttempts], Attempt(service, file, session: "s-other").Problems);
        // Another citizen at this kiosk is not held up by it.
        Assert.True(Attempt(service, SignInDemoCa.Bytes(SignInDemoCa.One("ecdsa-p256")), session: "s-other").Success);

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal([SignInProblems.TooManyAttempts], Attempt(service, file, session: "s-throttle").Problems);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(Attempt(service, file, session: "s-throttle").Success);
    }

    [Fact]
    public void A_certificate_refused_in_five_sessions_is_refused_node_wide()
    {
        var service = Service();
        var revoked = SignInDemoCa.Bytes(SignInDemoCa.One("revoked"));
        for (var i = 0; i < 5; i++) Assert.Equal(["revoked"], Attempt(service, revoked, session: "visitor-" + i).Problems);
        Assert.Equal([SignInProblems.TooManyAttempts], Attempt(service, revoked, session: "visitor-5").Problems);
    }

    [Fact]
    public void Without_a_trust_folder_nothing_is_opened_and_the_failure_is_not_the_citizens()
    {
        var throttle = Throttle();
        var service = Service(Path.Combine(Path.GetTempPath(), "no-such-trust-" + Guid.NewGuid().ToString("N")), throttle: throttle);
        var file = SignInDemoCa.Bytes(SignInDemoCa.One("valid"));
        for (var i = 0; i < 7; i++)
            Assert.Equal([SignInProblems.TrustUnavailable], Attempt(service, file).Problems);
        Assert.Equal(0, throttle.TrackedKeys);
        Assert.Contains(_log.Lines, l => l.Contains("trust-unavailable"));
    }

    [Fact]
    public void A_stale_crl_refuses_sign_in_by_default_and_only_warns_under_the_warn_policy()
    {
        _time.SetUtcNow(SignInDemoCa.Manifest.CrlNextUpdate.AddDays(1));
        var file = SignInDemoCa.Bytes(SignInDemoCa.One("valid", index: 3));

        Assert.Equal(["crl-stale"], Attempt(Service(), file).Problems);

        var warned = Attempt(Service(stale: StaleCrlPolicy.Warn), file, session: "s2");
        Assert.True(warned.Success, string.Join(",", warned.Problems));
        Assert.Contains(_log.Lines, l => l.Contains("warning crl-stale"));
    }

    private void AssertNothingPersonalLogged(Kiosk.Core.Eds.Demo.DemoCaEntry entry)
    {
        var all = string.Join('\n', _log.Lines);
        if (entry.Iin is { } iin) Assert.DoesNotContain(iin, all);
        foreach (var part in entry.Holder.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Assert.DoesNotContain(part, all);
        Assert.DoesNotContain(SignInDemoCa.Password, all);
    }

    public void Dispose()
    {
        foreach (var t in _trusts) t.Dispose();
    }
}

/// <summary>Collects formatted log lines (message and its values) for assertions.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
