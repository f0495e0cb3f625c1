using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

public enum Pkcs12OpenError
{
    None,

    /// <summary>More bytes than the caller allows (a key file is a few KiB).</summary>
    TooLarge,

    /// <summary>The bytes are not a PKCS#12 (PFX) file.</summary>
    NotPkcs12,

    /// <summary>The password does not open the file.</summary>
    WrongPassword,

    /// <summary>The file opens but holds no private key (a certificate-only file).</summary>
    NoPrivateKey,

    /// <summary>A PKCS#12 file whose password is right but whose contents cannot be used (unsupported protection, absurd iteration counts, broken bags).</summary>
    Unreadable,
}

/// <summary>
/// A private key and its certificate opened from a PKCS#12 file, in memory only. Dispose it as soon as the operation
/// is done: that is when the key leaves memory.
/// </summary>
public sealed class EdsKey : IDisposable
{
    internal EdsKey(X509Certificate2 certificate, X509Certificate2Collection extraCertificates)
    {
        Certificate = certificate;
        ExtraCertificates = extraCertificates;
    }

    /// <summary>The certificate, with its private key attached (ephemeral: never written to disk).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The other certificates in the file (usually the issuing CA), without keys: chain candidates for the checker.</summary>
    public X509Certificate2Collection ExtraCertificates { get; }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in ExtraCertificates) c.Dispose();
    }
}

public sealed record Pkcs12OpenResult(EdsKey? Key, Pkcs12OpenError Error)
{
    public bool Success => Key is not null;

    /// <summary>The stable code for <see cref="Error"/> (a key into <see cref="EdsMessages"/>), or null on success.</summary>
    public string? ErrorCode => Pkcs12KeyFile.CodeOf(Error);
}

/// <summary>
/// Opens a citizen's PKCS#12 key file from bytes and a password, in memory only
/// (<see cref="X509KeyStorageFlags.EphemeralKeySet"/>: no temporary files, no key store), and tells the ways it can
/// fail apart: wrong password, not a PKCS#12 file, too large, no private key. Nothing here logs or keeps the password.
/// </summary>
public static class Pkcs12KeyFile
{
    /// <summary>The sign-in page's limit: a national CA key file is 3–8 KiB.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>Message codes for the open errors (<see cref="EdsMessages.For"/> has a text for each).</summary>
    public static class Codes
    {
        public const string TooLarge = "file-too-large";
        public const string NotPkcs12 = "not-pkcs12";
        public const string WrongPassword = "wrong-password";
        public const string NoPrivateKey = "no-private-key";
        public const string Unreadable = "key-file-unreadable";
    }

    public static string? CodeOf(Pkcs12OpenError error) => error switch
    {
        Pkcs12OpenError.None => null,
        Pkcs12OpenError.TooLarge => Codes.TooLarge,
        Pkcs12OpenError.NotPkcs12 => Codes.NotPkcs12,
        Pkcs12OpenError.WrongPassword => Codes.WrongPassword,
        Pkcs12OpenError.NoPrivateKey => Codes.NoPrivateKey,
        _ => Codes.Unreadable,
    };

    public static Pkcs12OpenResult Open(byte[] data, string? password, int maxBytes = DefaultMaxBytes) =>
        Open(data, password.AsSpan(), maxBytes);

    public static Pkcs12OpenResult Open(ReadOnlyMemory<byte> data, ReadOnlySpan<char> password, int maxBytes = DefaultMaxBytes)
    {
        if (data.Length > maxBytes) return Fail(Pkcs12OpenError.TooLarge);
        if (data.IsEmpty || !LooksLikePfx(data.Span)) return Fail(Pkcs12OpenError.NotPkcs12);

        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(data, out var consumed, skipCopy: true);
            if (consumed != data.Length) return Fail(Pkcs12OpenError.NotPkcs12);
        }
        catch (CryptographicException)
        {
            return Fail(Pkcs12OpenError.NotPkcs12);
        }

        // The MAC is what tells a wrong password from a damaged file. PKCS#12 has two spellings of "no password"
        // (an empty string and none at all): an empty entry tries both.
        var useNullPassword = false;
        switch (info.IntegrityMode)
        {
            case Pkcs12IntegrityMode.Password:
                if (!VerifyMac(info, password))
                {
                    if (password.IsEmpty && VerifyMac(info, null)) useNullPassword = true;
                    else return Fail(Pkcs12OpenError.WrongPassword);
                }
                break;
            case Pkcs12IntegrityMode.None:
                break; // no MAC: a failure to decrypt below is then most likely the password
            default:
                return Fail(Pkcs12OpenError.Unreadable); // public-key integrity: not what citizens carry
        }

        X509Certificate2Collection all;
        try
        {
            all = useNullPassword
                ? X509CertificateLoader.LoadPkcs12Collection(data.Span, null, X509KeyStorageFlags.EphemeralKeySet, Pkcs12LoaderLimits.Defaults)
                : X509CertificateLoader.LoadPkcs12Collection(data.Span, password, X509KeyStorageFlags.EphemeralKeySet, Pkcs12LoaderLimits.Defaults);
        }
        catch (Pkcs12LoadLimitExceededException)
        {
            return Fail(Pkcs12OpenError.Unreadable);
        }
        catch (CryptographicException)
        {
            return Fail(info.IntegrityMode == Pkcs12IntegrityMode.None ? Pkcs12OpenError.WrongPassword : Pkcs12OpenError.Unreadable);
        }

        var withKey = all.Where(c => c.HasPrivateKey).ToList();
        if (withKey.Count == 0)
        {
            foreach (var c in all) c.Dispose();
            return Fail(Pkcs12OpenError.NoPrivateKey);
        }
        // A citizen's file holds one key; if there were more, prefer the end-entity certificate.
        var chosen = withKey.FirstOrDefault(c => !c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
                     ?? withKey[0];
        var extras = new X509Certificate2Collection();
        foreach (var c in all)
        {
            if (ReferenceEquals(c, chosen)) continue;
            if (c.HasPrivateKey)
            {
                extras.Add(X509CertificateLoader.LoadCertificate(c.RawDataMemory.Span));
                c.Dispose(); // another key in the file: drop it, keep only its certificate
            }
            else
            {
                extras.Add(c);
            }
        }
        return new Pkcs12OpenResult(new EdsKey(chosen, extras), Pkcs12OpenError.None);
    }

    private static bool VerifyMac(Pkcs12Info info, ReadOnlySpan<char> password)
    {
        try
        {
            return info.VerifyMac(password);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool VerifyMac(Pkcs12Info info, string? password)
    {
        try
        {
            return info.VerifyMac(password);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL }: a cheap shape test before decoding.</summary>
    private static bool LooksLikePfx(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new AsnReader(data.ToArray(), AsnEncodingRules.BER);
            var pfx = reader.ReadSequence();
            return pfx.TryReadInt32(out var version) && version == 3 &&
                   pfx.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static Pkcs12OpenResult Fail(Pkcs12OpenError error) => new(null, error);
}
