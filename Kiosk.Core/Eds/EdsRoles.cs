using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Core.Eds;

/// <summary>
/// The national CA's role OIDs in a certificate's extended key usage (DESIGN §4): an individual, a legal entity, and a
/// legal entity's employee (a clinic's registrar signs at the desk with such a certificate, issue 12).
/// </summary>
public static class EdsRoles
{
    public const string Individual = "1.2.398.3.3.4.1.1";
    public const string LegalEntity = "1.2.398.3.3.4.1.2";
    public const string LegalEntityEmployee = "1.2.398.3.3.4.1.2.5";

    /// <summary>Whether the certificate's extended key usage names the employee role.</summary>
    public static bool IsEmployee(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
            if (extension is X509EnhancedKeyUsageExtension eku)
                foreach (var oid in eku.EnhancedKeyUsages)
                    if (oid.Value == LegalEntityEmployee) return true;
        return false;
    }
}
