using Kiosk.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Kiosk.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sync worker, its calls to Central and the kiosk tables it uses (sections <c>Central</c> and
    /// <c>Sync</c>). The kiosk's SQLite file itself (<c>AddSqliteStore</c> with <see cref="KioskNodeSchema"/>) is the
    /// host's to register, so that a kiosk node hosting the worker shares its own.
    /// </summary>
    public static IServiceCollection AddKioskSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CentralOptions>().Bind(configuration.GetSection(CentralOptions.Section));
        services.AddOptions<SyncOptions>()
            .Bind(configuration.GetSection(SyncOptions.Section))
            .Validate(SyncOptions.IsValid,
                "Sync: intervals must be positive, BatchSize 1 to 100, RetryMaxDelay at least RetryBaseDelay, KioskId 1 to 64 of " +
                "A-Z a-z 0-9 . _ - starting with a letter or digit, Credential of A-Z a-z 0-9 - _ only.")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero, "Sync:AttemptTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<KioskSettings>();
        // Per call: a total timeout, at most one quick retry of a failed read, a timeout per attempt (see below).
        // CentralClient also holds the whole call, reading the answer included, to Sync:CallTimeout; HttpClient's own
        // timeout is only a backstop beyond both.
        services.AddHttpClient(CentralClient.HttpClientName, (sp, http) =>
                http.Timeout = sp.GetRequiredService<IOptions<SyncOptions>>().Value.CallTimeout + TimeSpan.FromSeconds(1))
            .AddResilienceHandler("central", (pipeline, context) =>
                ConfigureCalls(pipeline, context.ServiceProvider.GetRequiredService<IOptions<SyncOptions>>().Value));
        // The pipeline would log every timed-out or retried attempt (category "Polly", with stack traces): while Central
        // is down that is a flood. Each call's outcome is a problem code instead, and CentralLink logs when the link
        // changes. (Polly's metrics are unaffected.)
        services.AddLogging(logging => logging.AddFilter("Polly", LogLevel.None));
        services.AddSingleton<CentralClient>();
        services.AddSingleton<CentralLink>();
        services.AddSingleton<KioskCredentials>();
        services.AddSingleton<ClockSkewMonitor>();
        services.AddSingleton<OutboxSync>();
        services.AddReferencePull(configuration); // reference data and trust list (ReferencePull.cs)
        services.AddSingleton<KioskIdentity>();
        services.AddSingleton<Kiosk.Node.Slips.KioskDeviceKey>();
        services.AddSingleton<SlipKeysSync>(); // device key at Central, JWKS copy (SlipKeysSync.cs)
        services.AddSingleton<Kiosk.Node.Staff.StaffStore>();
        services.AddSingleton<StaffPull>(); // who may sign in at this node (StaffPull.cs)
        services.TryAddSingleton<Kiosk.Node.Feedback.FeedbackOutbox>(); // survey answers and step times (FeedbackPush.cs)
        services.AddSingleton<FeedbackPush>();
        services.AddHostedService<SyncWorker>();
        return services;
    }

    /// <summary>Retries of a failed read inside one call (see <see cref="ConfigureCalls"/>).</summary>
    public const int ReadRetries = 1;

    /// <summary>
    /// The resilience pipeline of every call to Central (Microsoft.Extensions.Http.Resilience), outermost first:
    /// <list type="number">
    /// <item>a total timeout, <see cref="SyncOptions.CallTimeout"/>, over every attempt and the wait between them;</item>
    /// <item>at most <see cref="ReadRetries"/> retry, after a short jittered wait, and only of a <b>read</b> (GET, HEAD:
    /// decisions, reference data, readiness) that failed transiently (no connection, an attempt timed out, 408, 429,
    /// 5xx). A push, a heartbeat or an enrollment (POST) is never retried here: a push is idempotent by request id, but
    /// the outbox's own persistent backoff per row and the worker's backoff per round are the one retry mechanism for
    /// writes, and an enrollment code works only once;</item>
    /// <item>a timeout per attempt, <see cref="SyncOptions.AttemptTimeout"/> (at most the call's).</item>
    /// </list>
    /// No circuit breaker: the worker is the only caller, one call at a time, and after a failed call it waits its
    /// growing, jittered backoff before the next round, which already keeps a kiosk from hammering a Central that is
    /// down (at most two connection attempts per round, one for a write).
    /// </summary>
    public static void ConfigureCalls(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        var attempt = options.AttemptTimeout < options.CallTimeout ? options.AttemptTimeout : options.CallTimeout;
        pipeline
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "call", Timeout = options.CallTimeout })
            .AddRetry(new HttpRetryStrategyOptions
            {
                Name = "read-retry",
                MaxRetryAttempts = ReadRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                ShouldHandle = args => ValueTask.FromResult(
                    IsRead(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage())
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = attempt });
    }

    private static bool IsRead(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head);
}
