using System.ComponentModel.DataAnnotations;

namespace Kiosk.Web.Infrastructure;

/// <summary>Configuration section <c>Kiosk</c> (environment <c>Kiosk__IdleSeconds</c> and so on).</summary>
public sealed class KioskOptions
{
    public const string Section = "Kiosk";

    /// <summary>The language a citizen meets first and the one the inactivity reset returns to: kk, ru or en.</summary>
    public string DefaultLanguage { get; set; } = "ru";

    /// <summary>Seconds without a touch or key press before the "are you still there?" warning.</summary>
    [Range(1, 3600)]
    public int IdleSeconds { get; set; } = 60;

    /// <summary>Seconds the warning counts down before the session is wiped and the start screen shown.</summary>
    [Range(1, 600)]
    public int IdleWarningSeconds { get; set; } = 20;

    /// <summary>The clinic whose lobby the kiosk stands in, shown in the header; optional.</summary>
    [MaxLength(200)]
    public string? ClinicName { get; set; }
}
