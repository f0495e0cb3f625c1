using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

/// <summary>
/// Proof that whoever presents a certificate holds its private key: the server makes a fresh random nonce, the key
/// signs it, the certificate's public key verifies it. RSA keys sign with PKCS#1 v1.5 and SHA-256, ECDSA P-256 keys
/// with SHA-256 (DER signature). The signed bytes are a fixed context label followed by the nonce, so a proof can
/// never double as a signature over a document. Keeping each nonce single-use is the caller's job.
/// </summary>
public static class ProofOfPossession
{
    public const int NonceBytes = 32;

    private static readonly byte[] Context = "kiosk-eds-proof-of-possession-v1\0"u8.ToArray();

    public static byte[] CreateNonce() => RandomNumberGenerator.GetBytes(NonceBytes);

    /// <summary>Signs the nonce with the certificate's private key. Throws when there is no usable RSA/ECDSA private key.</summary>
    public static byte[] Sign(X509Certificate2 certificateWithKey, ReadOnlySpan<byte> nonce)
    {
        var message = Message(nonce);
        using (var rsa = certificateWithKey.GetRSAPrivateKey())
        {
            if (rsa is not null) return rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        using (var ecdsa = certificateWithKey.GetECDsaPrivateKey())
        {
            if (ecdsa is not null) return ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        throw new CryptographicException("The certificate has no RSA or ECDSA private key.");
    }

    /// <summary>True when <paramref name="signature"/> is the certificate key's signature over this nonce.</summary>
    public static bool Verify(X509Certificate2 certificate, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> signature)
    {
        if (nonce.Length < 16) return false;
        var message = Message(nonce);
        try
        {
            using (var rsa = certificate.GetRSAPublicKey())
            {
                if (rsa is not null) return rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            using (var ecdsa = certificate.GetECDsaPublicKey())
            {
                if (ecdsa is not null) return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
        return false;
    }

    /// <summary>Makes a nonce, signs it with the key and verifies it against the certificate: the whole round in one call.</summary>
    public static bool Prove(EdsKey key)
    {
        var nonce = CreateNonce();
        try
        {
            return Verify(key.Certificate, nonce, Sign(key.Certificate, nonce));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[] Message(ReadOnlySpan<byte> nonce) => [.. Context, .. nonce];
}
