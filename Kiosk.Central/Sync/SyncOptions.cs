namespace Kiosk.Central.Sync;

/// <summary>The <c>Intake</c> configuration section: limits and tolerances of the sync protocol on Central's side.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Most envelopes in one push.</summary>
    public int MaxBatch { get; set; } = 100;

    /// <summary>The largest push body read (larger: 413). Default 8 MiB: 100 envelopes of a 16 KiB document and its signature, base64.</summary>
    public int MaxPushBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How far a CMS signing-time may differ from the envelope's <c>createdAt</c> (both from the kiosk's clock) and still
    /// be relied on as the moment the citizen signed; otherwise the rules are judged at Central's receipt.
    /// </summary>
    public TimeSpan SigningTimeTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a one-time enrollment code stays usable.</summary>
    public TimeSpan EnrollmentCodeLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most decisions in one pull page.</summary>
    public int DecisionsPageSize { get; set; } = 500;
}

/// <summary>The <c>Operators</c> section: <c>Operators:Token</c> (environment <c>Operators__Token</c>) is the bearer token of the operator endpoints.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Operators";

    /// <summary>Unset or blank: the operator endpoints answer 403 (and the start-up log says so).</summary>
    public string? Token { get; set; }
}

/// <summary>Configuration section <c>Monitoring</c>: a read-only token for monitoring systems (the fleet).</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary><c>Monitoring:Token</c> (environment <c>Monitoring__Token</c>); unset: only the operator token reads the fleet.</summary>
    public string? Token { get; set; }
}
