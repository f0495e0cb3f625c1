using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

/// <summary>
/// The algorithm policy (DESIGN §4): end-entity keys are RSA of 2048 bits or more, or ECDSA on P-256; CA keys may
/// also be ECDSA P-384/P-521; signatures on certificates and CRLs are RSA PKCS#1 v1.5 or ECDSA with SHA-256/384/512.
/// SHA-1, MD5, RSA-PSS, DSA, GOST and anything else is refused as <c>unsupported-algorithm</c>.
/// </summary>
public static class EdsAlgorithms
{
    public const int MinRsaBits = 2048;

    /// <summary>Larger RSA keys are refused too: a 16k key costs a kiosk seconds per check for no gain.</summary>
    public const int MaxRsaBits = 8192;

    internal const string RsaKeyOid = "1.2.840.113549.1.1.1";
    internal const string EcKeyOid = "1.2.840.10045.2.1";
    internal const string P256Oid = "1.2.840.10045.3.1.7";
    internal const string P384Oid = "1.3.132.0.34";
    internal const string P521Oid = "1.3.132.0.35";

    internal readonly record struct SignatureAlgorithm(string Oid, string Name, HashAlgorithmName Hash, bool IsRsa);

    private static readonly Dictionary<string, SignatureAlgorithm> SignatureAlgorithms = new[]
    {
        new SignatureAlgorithm("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", HashAlgorithmName.SHA256, true),
        new SignatureAlgorithm("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", HashAlgorithmName.SHA384, true),
        new SignatureAlgorithm("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", HashAlgorithmName.SHA512, true),
        new SignatureAlgorithm("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", HashAlgorithmName.SHA256, false),
        new SignatureAlgorithm("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", HashAlgorithmName.SHA384, false),
        new SignatureAlgorithm("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", HashAlgorithmName.SHA512, false),
    }.ToDictionary(a => a.Oid, StringComparer.Ordinal);

    internal static bool TryGetSignatureAlgorithm(string oid, out SignatureAlgorithm algorithm) =>
        SignatureAlgorithms.TryGetValue(oid, out algorithm);

    /// <summary>Null when the certificate's own key is acceptable for a citizen or employee; else why not.</summary>
    public static string? CheckEndEntityKey(X509Certificate2 certificate) => CheckKey(certificate, endEntity: true);

    /// <summary>Null when the key is acceptable for a CA in the chain; else why not.</summary>
    public static string? CheckCaKey(X509Certificate2 certificate) => CheckKey(certificate, endEntity: false);

    private static string? CheckKey(X509Certificate2 certificate, bool endEntity)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case RsaKeyOid:
            {
                // The modulus' length read from the key's DER: importing the key into the crypto library only to
                // ask its size cost ≈ 120 µs per certificate, three times per check (issue 13).
                var bits = RsaModulusBits(certificate.PublicKey.EncodedKeyValue.RawData);
                if (bits is null) return "RSA public key cannot be read";
                return bits is >= MinRsaBits and <= MaxRsaBits ? null : $"RSA-{bits} key";
            }
            case EcKeyOid:
            {
                var curve = CurveOid(certificate.PublicKey);
                var ok = curve == P256Oid || (!endEntity && curve is P384Oid or P521Oid);
                return ok ? null : $"ECDSA key on curve {curve ?? "(explicit parameters)"}";
            }
            default:
                return $"public key algorithm {certificate.PublicKey.Oid.Value} ({certificate.PublicKey.Oid.FriendlyName})";
        }
    }

    /// <summary>The bit length of an RSAPublicKey's modulus (<c>SEQUENCE { modulus INTEGER, publicExponent INTEGER }</c>), or null when it is not one.</summary>
    internal static int? RsaModulusBits(ReadOnlyMemory<byte> rsaPublicKey)
    {
        try
        {
            var outer = new AsnReader(rsaPublicKey, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var modulus = sequence.ReadIntegerBytes().Span;
            var exponent = sequence.ReadIntegerBytes().Span;
            sequence.ThrowIfNotEmpty();
            if (exponent.IsEmpty || (exponent[0] & 0x80) != 0 || modulus.IsEmpty || (modulus[0] & 0x80) != 0) return null; // not positive
            var significant = modulus.TrimStart((byte)0);
            if (significant.IsEmpty) return null;
            return (significant.Length - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)significant[0]));
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static string? CurveOid(PublicKey key)
    {
        var parameters = key.EncodedParameters?.RawData;
        if (parameters is null) return null;
        if (parameters.Length == 0) return null;
        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.DER);
            if (!reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier)) return null;
            return reader.ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Null when the certificate's signature algorithm is one we accept; else its OID or name.</summary>
    public static string? CheckSignatureAlgorithm(X509Certificate2 certificate)
    {
        var oid = certificate.SignatureAlgorithm.Value ?? "";
        return SignatureAlgorithms.ContainsKey(oid) ? null : $"signature algorithm {oid} ({certificate.SignatureAlgorithm.FriendlyName})";
    }

    /// <summary>Verifies a signature over <paramref name="signed"/> with the signer certificate's public key.</summary>
    internal static bool Verify(SignatureAlgorithm algorithm, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature, X509Certificate2 signer)
    {
        try
        {
            if (algorithm.IsRsa)
            {
                using var rsa = signer.GetRSAPublicKey();
                return rsa is not null && rsa.KeySize is >= MinRsaBits and <= MaxRsaBits &&
                       rsa.VerifyData(signed, signature, algorithm.Hash, RSASignaturePadding.Pkcs1);
            }
            using var ecdsa = signer.GetECDsaPublicKey();
            return ecdsa is not null &&
                   ecdsa.VerifyData(signed, signature, algorithm.Hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// Splits a signed X.509 structure (a certificate or a CRL: SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING })
    /// into the signed bytes, the algorithm and the signature. False when the shape is wrong or the algorithm is not
    /// one we accept.
    /// </summary>
    internal static bool TrySplitSigned(ReadOnlyMemory<byte> der, out ReadOnlyMemory<byte> signed, out SignatureAlgorithm algorithm, out byte[] signature, out string? algorithmOid)
    {
        signed = default;
        algorithm = default;
        signature = [];
        algorithmOid = null;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            signed = seq.ReadEncodedValue();
            algorithmOid = ReadAlgorithmIdentifier(seq);
            if (!seq.TryReadPrimitiveBitString(out var unused, out var bits) || unused != 0) return false;
            signature = bits.ToArray();
            seq.ThrowIfNotEmpty();
            return algorithmOid is not null && SignatureAlgorithms.TryGetValue(algorithmOid, out algorithm);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Reads an AlgorithmIdentifier whose parameters are absent or NULL; null when they are anything else.</summary>
    internal static string? ReadAlgorithmIdentifier(AsnReader reader)
    {
        var alg = reader.ReadSequence();
        var oid = alg.ReadObjectIdentifier();
        if (alg.HasData)
        {
            alg.ReadNull();
        }
        alg.ThrowIfNotEmpty();
        return oid;
    }

    /// <summary>True when the certificate is self-issued and its signature verifies with its own key.</summary>
    public static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)) return false;
        return TrySplitSigned(certificate.RawDataMemory, out var tbs, out var alg, out var sig, out _) &&
               Verify(alg, tbs.Span, sig, certificate);
    }
}
