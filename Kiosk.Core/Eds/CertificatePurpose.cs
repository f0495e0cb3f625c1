namespace Kiosk.Core.Eds;

/// <summary>What a certificate is about to be used for (DESIGN §4: an AUTH key only signs in, a signing key only signs).</summary>
public enum CertificatePurpose
{
    /// <summary>Sign-in at a kiosk: key usage digitalSignature, extended key usage clientAuth (1.3.6.1.5.5.7.3.2).</summary>
    SignIn,

    /// <summary>Signing a document: key usage nonRepudiation, extended key usage emailProtection (1.3.6.1.5.5.7.3.4).</summary>
    Signing,
}

/// <summary>What the checker does when the CRL it would use is past its next update.</summary>
public enum StaleCrlPolicy
{
    /// <summary>A stale CRL makes the certificate not valid (<c>crl-stale</c> is an error).</summary>
    Reject,

    /// <summary>The certificate is still checked against the stale CRL; <c>crl-stale</c> is reported as a warning.</summary>
    Warn,
}
