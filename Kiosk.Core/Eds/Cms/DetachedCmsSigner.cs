using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds.Cms;

/// <summary>
/// Makes a detached CMS SignedData (RFC 5652) over exact bytes, the form DESIGN §4 gives a signed request: one
/// SignerInfo, SHA-256, the signer identified by issuer and serial number, the signer's certificate embedded (and the
/// issuing CA's when given, so a verifier holding only the root can build the chain), and signed attributes
/// content-type, message-digest and signing-time. RSA keys sign with PKCS#1 v1.5, ECDSA P-256 keys with
/// ecdsa-with-SHA256. The content itself is not inside the result. Output is DER, which
/// <c>openssl cms -verify -binary -inform DER -content &lt;file&gt;</c> reads.
/// <para>
/// This class signs and does nothing else: it neither checks the certificate (that is <see cref="CertificateChecker"/>'s
/// job, before signing) nor keeps anything of the key.
/// </para>
/// </summary>
public static class DetachedCmsSigner
{
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    public const string DataContentTypeOid = "1.2.840.113549.1.7.1";

    /// <summary>
    /// The signing-time attribute is a UTCTime: whole seconds, years 1950–2049 (RFC 5652 §11.3). This is the instant a
    /// signature made at <paramref name="time"/> records.
    /// </summary>
    public static DateTimeOffset SigningTimeFor(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    /// <summary>Signs <paramref name="content"/> at the current time of <paramref name="time"/>.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> content, X509Certificate2 signer, TimeProvider time, X509Certificate2? issuingCa = null) =>
        Sign(content, signer, time.GetUtcNow(), issuingCa);

    /// <summary>
    /// Signs <paramref name="content"/> with the private key of <paramref name="signer"/>, recording
    /// <see cref="SigningTimeFor">signingTime cut to seconds</see>. Throws <see cref="ArgumentException"/> when the
    /// certificate has no RSA or ECDSA private key and <see cref="CryptographicException"/> when the key cannot sign.
    /// </summary>
    public static byte[] Sign(ReadOnlySpan<byte> content, X509Certificate2 signer, DateTimeOffset signingTime, X509Certificate2? issuingCa = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.HasPrivateKey) throw new ArgumentException("The signer certificate has no private key.", nameof(signer));
        var at = SigningTimeFor(signingTime);
        if (at.Year is < 1950 or > 2049)
            throw new ArgumentOutOfRangeException(nameof(signingTime), "A CMS signing time is a UTCTime: years 1950 to 2049.");

        RSASignaturePadding? padding = signer.PublicKey.Oid.Value switch
        {
            EdsAlgorithms.RsaKeyOid => RSASignaturePadding.Pkcs1,
            EdsAlgorithms.EcKeyOid => null,
            var other => throw new ArgumentException($"The signer's key algorithm {other} is neither RSA nor ECDSA.", nameof(signer)),
        };

        var cms = new SignedCms(new ContentInfo(new Oid(DataContentTypeOid), content.ToArray()), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            // Only what is given: never a chain built from the machine's stores.
            IncludeOption = X509IncludeOption.EndCertOnly,
            SignaturePadding = padding,
        };
        // With a signed attribute present, SignedCms adds content-type and message-digest itself (RFC 5652 §5.3).
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(at.UtcDateTime));
        if (issuingCa is not null) cmsSigner.Certificates.Add(issuingCa);
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }
}
