namespace Kiosk.Sync;

/// <summary>
/// Exponential backoff with jitter: after the n-th failure in a row, wait between half and all of
/// <c>min(max, base · 2^(n-1))</c>, the half chosen at random. The doubling keeps a kiosk from hammering a Central that
/// is down; the random half keeps a fleet of kiosks that lost Central together from coming back in step.
/// </summary>
public static class Backoff
{
    public static TimeSpan Delay(long failures, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = (int)Math.Clamp(failures - 1, 0, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}
