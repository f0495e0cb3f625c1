using Microsoft.Extensions.Options;

namespace Kiosk.Web.SignIn;

/// <summary>
/// Counts failed sign-in attempts per key and refuses further attempts for a cooldown once a key has
/// <see cref="SignInOptions.MaxFailures"/> failures within <see cref="SignInOptions.FailureWindowMinutes"/>. The kiosk
/// uses two kinds of key: the kiosk session (<see cref="SessionKey"/>) and, node-wide, the key file itself
/// (<see cref="KeyFileKey"/>: the SHA-256 of its bytes, known even when the password is wrong) and the certificate
/// (<see cref="CertificateKey"/>: its thumbprint, once the file opened). So starting a new session does not buy an
/// attacker fresh guesses at one key file's password.
/// <para>
/// In memory only: a restart forgets every counter and cooldown (as it forgets every session). Restarting a kiosk
/// takes an operator, and the keys' own PKCS#12 iteration counts still slow guessing; persisting failure counters
/// would store hashes of citizens' key files on disk, which we would rather not.
/// </para>
/// </summary>
public sealed class SignInThrottle(IOptions<SignInOptions> options, TimeProvider time)
{
    /// <summary>Beyond this many tracked keys, quiet ones are dropped (memory stays bounded whatever is sent).</summary>
    public const int MaxTrackedKeys = 10_000;

    private readonly SignInOptions _options = options.Value;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private TimeSpan Window => TimeSpan.FromMinutes(_options.FailureWindowMinutes);
    private TimeSpan Cooldown => TimeSpan.FromMinutes(_options.CooldownMinutes);

    public static string SessionKey(string sessionId) => "session:" + sessionId;

    public static string KeyFileKey(string sha256Hex) => "file:" + sha256Hex;

    public static string CertificateKey(string thumbprint) => "cert:" + thumbprint;

    /// <summary>How long attempts under any of <paramref name="keys"/> are still refused, or null when they are allowed.</summary>
    public TimeSpan? RetryAfter(params ReadOnlySpan<string> keys)
    {
        var now = time.GetUtcNow();
        TimeSpan? longest = null;
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (!_entries.TryGetValue(key, out var entry) || entry.BlockedUntil <= now) continue;
                var left = entry.BlockedUntil - now;
                if (longest is null || left > longest) longest = left;
            }
        }
        return longest;
    }

    /// <summary>Counts one failed attempt under each key; a key that reaches the limit is blocked for the cooldown.</summary>
    public void RecordFailure(params ReadOnlySpan<string> keys)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_entries.Count >= MaxTrackedKeys) Prune(now);
            foreach (var key in keys)
            {
                if (!_entries.TryGetValue(key, out var entry)) _entries[key] = entry = new Entry();
                entry.Drop(now - Window);
                entry.Failures.Enqueue(now);
                if (entry.Failures.Count >= _options.MaxFailures)
                {
                    entry.BlockedUntil = now + Cooldown;
                    entry.Failures.Clear();
                }
            }
        }
    }

    /// <summary>A successful sign-in clears its keys' failures.</summary>
    public void Forget(params ReadOnlySpan<string> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys) _entries.Remove(key);
        }
    }

    /// <summary>How many keys are tracked (for tests and diagnostics).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries.ToList())
        {
            entry.Drop(now - Window);
            if (entry.Failures.Count == 0 && entry.BlockedUntil <= now) _entries.Remove(key);
        }
        // Still full (a flood of distinct keys): drop the oldest unblocked ones.
        if (_entries.Count >= MaxTrackedKeys)
        {
            foreach (var (key, _) in _entries.Where(e => e.Value.BlockedUntil <= now)
                         .OrderBy(e => e.Value.Failures.Count == 0 ? DateTimeOffset.MinValue : e.Value.Failures.Peek())
                         .Take(_entries.Count - MaxTrackedKeys / 2).ToList())
                _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public void Drop(DateTimeOffset before)
        {
            while (Failures.Count > 0 && Failures.Peek() <= before) Failures.Dequeue();
        }
    }
}
