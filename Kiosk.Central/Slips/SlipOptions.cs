namespace Kiosk.Central.Slips;

/// <summary>Configuration section <c>Slips</c> (docs/slips.md).</summary>
public sealed class SlipOptions
{
    public const string Section = "Slips";

    /// <summary>
    /// Where the provider's private signing keys live, one PEM file per key, readable by Central only (environment
    /// <c>Slips__KeyDirectory</c>). Default: <c>slip-keys/</c> next to Central's database.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>How long a key stays published after a newer key of the same issuer took over: as long as the slips it
    /// signed still matter (an appointment up to 14 days ahead, a result kept for a year).</summary>
    public TimeSpan KeyRelevance { get; set; } = TimeSpan.FromDays(400);
}
