using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

/// <summary>
/// A parsed X.509 CRL (RFC 5280 §5). Parsing checks the structure only: whether a CRL may be believed is decided by
/// <see cref="IsSignedBy"/>, against the certificate of the CA that issued the certificate being checked.
/// Only complete CRLs are used: a CRL with a critical extension this class does not understand (a delta CRL
/// indicator, an issuing distribution point, an indirect-CRL entry) is marked <see cref="IsUsable"/> = false, so it
/// is never read as "not revoked".
/// </summary>
public sealed class RevocationList
{
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string ReasonCodeOid = "2.5.29.21";
    private const string InvalidityDateOid = "2.5.29.24";

    private readonly ReadOnlyMemory<byte> _signed;
    private readonly byte[] _signature;
    private readonly EdsAlgorithms.SignatureAlgorithm _algorithm;
    private readonly Dictionary<string, DateTimeOffset> _revoked;

    private RevocationList(byte[] raw, ReadOnlyMemory<byte> signed, EdsAlgorithms.SignatureAlgorithm algorithm, byte[] signature,
        X500DistinguishedName issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, Dictionary<string, DateTimeOffset> revoked,
        string? unusableReason)
    {
        RawData = raw;
        _signed = signed;
        _algorithm = algorithm;
        _signature = signature;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revoked = revoked;
        UnusableReason = unusableReason;
    }

    public byte[] RawData { get; }
    public X500DistinguishedName Issuer { get; }
    public DateTimeOffset ThisUpdate { get; }
    public DateTimeOffset? NextUpdate { get; }
    public int Count => _revoked.Count;
    public string SignatureAlgorithm => _algorithm.Name;

    /// <summary>Why the CRL cannot be used as a complete list (null when it can).</summary>
    public string? UnusableReason { get; }

    public bool IsUsable => UnusableReason is null;

    /// <summary>Past its next update at <paramref name="time"/>. A CRL without nextUpdate is never stale.</summary>
    public bool IsStaleAt(DateTimeOffset time) => NextUpdate is { } next && time > next;

    /// <summary>The revocation date when the serial (big-endian bytes, as in the certificate) is listed.</summary>
    public bool TryGetRevocation(ReadOnlySpan<byte> serialNumber, out DateTimeOffset revokedAt) =>
        _revoked.TryGetValue(SerialKey(serialNumber), out revokedAt);

    public bool IsListed(X509Certificate2 certificate, out DateTimeOffset revokedAt) =>
        TryGetRevocation(certificate.SerialNumberBytes.Span, out revokedAt);

    /// <summary>
    /// True when <paramref name="issuer"/> issued this CRL: the names match byte for byte, the issuer may sign CRLs
    /// (key usage cRLSign when it states a key usage) and the signature verifies with the issuer's public key.
    /// </summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData)) return false;
        foreach (var ext in issuer.Extensions)
        {
            if (ext is X509KeyUsageExtension ku && (ku.KeyUsages & X509KeyUsageFlags.CrlSign) == 0) return false;
        }
        return EdsAlgorithms.Verify(_algorithm, _signed.Span, _signature, issuer);
    }

    /// <summary>Parses a DER CRL, or the first "X509 CRL" block of PEM text.</summary>
    public static RevocationList Parse(ReadOnlySpan<byte> data)
    {
        if (TryParse(data, out var crl, out var error)) return crl;
        throw new CryptographicException($"Not a CRL: {error}");
    }

    public static bool TryParse(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RevocationList? crl, out string? error)
    {
        crl = null;
        if (PemText.LooksLikePem(data))
        {
            var blocks = PemText.Blocks(data, "X509 CRL");
            if (blocks.Count == 0)
            {
                error = "no X509 CRL block in the PEM text";
                return false;
            }
            data = blocks[0];
        }
        try
        {
            crl = ParseDer(data.ToArray(), out error);
            return crl is not null;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            error = e.Message;
            return false;
        }
    }

    private static RevocationList? ParseDer(byte[] raw, out string? error)
    {
        error = null;
        if (!EdsAlgorithms.TrySplitSigned(raw, out var signed, out var algorithm, out var signature, out var outerOid))
        {
            error = outerOid is null ? "not a signed X.509 structure" : $"unsupported signature algorithm {outerOid}";
            return null;
        }

        var tbs = new AsnReader(signed, AsnEncodingRules.DER).ReadSequence();
        var version = 0;
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbs.TryReadInt32(out version) || version != 1)
            {
                error = "unknown CRL version";
                return null;
            }
        }
        var innerOid = EdsAlgorithms.ReadAlgorithmIdentifier(tbs);
        if (innerOid != outerOid)
        {
            error = "the signature algorithm inside the CRL differs from the outer one";
            return null;
        }
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag())) nextUpdate = ReadTime(tbs);

        string? unusable = null;
        var revoked = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var list = tbs.ReadSequence();
            while (list.HasData)
            {
                var entry = list.ReadSequence();
                var serial = entry.ReadIntegerBytes().Span;
                var date = ReadTime(entry);
                if (entry.HasData)
                {
                    if (version != 1)
                    {
                        error = "a v1 CRL with entry extensions";
                        return null;
                    }
                    unusable ??= CheckExtensions(entry.ReadSequence(), ReasonCodeOid, InvalidityDateOid);
                }
                entry.ThrowIfNotEmpty();
                revoked[SerialKey(serial)] = date;
            }
        }
        if (tbs.HasData)
        {
            var explicit0 = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            if (version != 1)
            {
                error = "a v1 CRL with extensions";
                return null;
            }
            unusable ??= CheckExtensions(explicit0.ReadSequence(), CrlNumberOid, AuthorityKeyIdentifierOid);
            explicit0.ThrowIfNotEmpty();
        }
        tbs.ThrowIfNotEmpty();
        if (nextUpdate is { } n && n < thisUpdate)
        {
            error = "nextUpdate is before thisUpdate";
            return null;
        }
        return new RevocationList(raw, signed, algorithm, signature, issuer, thisUpdate, nextUpdate, revoked, unusable);
    }

    /// <summary>Null when every critical extension is one of <paramref name="understood"/>; else the reason.</summary>
    private static string? CheckExtensions(AsnReader extensions, params string[] understood)
    {
        string? reason = null;
        while (extensions.HasData)
        {
            var ext = extensions.ReadSequence();
            var oid = ext.ReadObjectIdentifier();
            var critical = ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && ext.ReadBoolean();
            ext.ReadOctetString();
            ext.ThrowIfNotEmpty();
            if (critical && !understood.Contains(oid)) reason ??= $"critical extension {oid} is not supported";
        }
        return reason;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime(twoDigitYearMax: 2049) // RFC 5280 §4.1.2.5.1: YY ≥ 50 is 19YY
            : reader.ReadGeneralizedTime();

    /// <summary>Serials compare as unsigned big-endian numbers: leading zero bytes do not matter.</summary>
    internal static string SerialKey(ReadOnlySpan<byte> serial)
    {
        var i = 0;
        while (i < serial.Length - 1 && serial[i] == 0) i++;
        return Convert.ToHexString(serial[i..]);
    }
}
