namespace Kiosk.Core.Time;

/// <summary>
/// Astana's clock, shared by Central and the kiosks (a kiosk judges "today" as Central does). Clinic hours and
/// "today" are local to Asia/Almaty; instants are stored in UTC. The offset comes from the system's tzdata (UTC+5 since
/// March 2024), never from a hard-coded number.
/// </summary>
public static class AstanaTime
{
    public const string ZoneId = "Asia/Almaty";

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    public static DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow()));

    /// <summary>The UTC instant of a local date and clock time in Astana.</summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly clock)
    {
        var local = date.ToDateTime(clock, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Zone), TimeSpan.Zero);
    }

    /// <summary>The UTC instant at which a local date begins in Astana.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date) => ToUtc(date, TimeOnly.MinValue);
}
