namespace Kiosk.Core.Slips;

/// <summary>Why a slip token does not verify (issue 6 item 4); stable codes for the API and the pages.</summary>
public static class SlipProblems
{
    /// <summary>The signature does not match the header and payload (a changed claim, a forged token).</summary>
    public const string BadSignature = "bad-signature";

    /// <summary>No published key has the token's <c>kid</c>.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>The key was withdrawn (a revoked kiosk's key).</summary>
    public const string RevokedKey = "revoked-key";

    /// <summary>
    /// The key that signed it may not say this: a kiosk's key signing a result, or claims naming another issuer than
    /// the key's holder.
    /// </summary>
    public const string WrongIssuer = "wrong-issuer";

    /// <summary>Not a compact JWS of ours: bad parts, encoding, header, compression or claims.</summary>
    public const string Malformed = "malformed";

    /// <summary>The token, or its payload once inflated, is larger than a slip's token can be.</summary>
    public const string TooLarge = "too-large";
}
