using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kiosk.Web.SignIn;

/// <summary>
/// Makes "single use" of a sign-in nonce hold even for two posts of the same form racing each other: the session
/// (loaded per request) says which nonce was issued, and this node-wide ledger lets exactly one post claim it.
/// Entries are SHA-256 hashes of nonces, forgotten after the signed-in session's idle time (the anonymous session
/// holding the nonce is gone by then too). In memory: a restart forgets it, and every session with it.
/// </summary>
public sealed class UsedNonces(TimeProvider time, Microsoft.Extensions.Options.IOptions<SignInOptions> options)
{
    private readonly TimeSpan _keep = TimeSpan.FromMinutes(options.Value.SessionIdleMinutes + 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>True for the first caller with this nonce, false for every later one.</summary>
    public bool TryClaim(ReadOnlySpan<byte> nonce)
    {
        var now = time.GetUtcNow();
        if (_used.Count > 1000)
            foreach (var (key, at) in _used)
                if (now - at > _keep) _used.TryRemove(key, out _);
        return _used.TryAdd(Convert.ToHexString(SHA256.HashData(nonce)), now);
    }
}
