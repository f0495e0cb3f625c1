using Kiosk.Core.Identity;
using Kiosk.Core.Services;

namespace Kiosk.Core.Staff;

/// <summary>
/// Whether a request filed at a clinic's desk may be registered as the registrar's act for the citizen (issue 12,
/// regulation diagram 2, process 5: "the employee fills the form and certifies it with the EDS"). Central decides it
/// from its staff register, the signing certificate and the clinic of the kiosk the request came from, before the
/// service's own rules. The signature itself (valid, the registrar's IIN) is checked before this.
/// </summary>
public static class StaffFilingRule
{
    /// <param name="account">The staff register's account of the signer; null when there is none.</param>
    /// <param name="employeeCertificate">The signing certificate names the employee role (1.2.398.3.3.4.1.2.5).</param>
    /// <param name="certificateBin">The certificate's OU=BIN…; null when it has none.</param>
    /// <param name="clinicBin">The BIN of the clinic the kiosk (the desk) serves; null when unknown.</param>
    /// <returns>Null when the filing stands; else the <see cref="RefusalReasons"/> code.</returns>
    public static string? Refusal(StaffAccount? account, bool employeeCertificate, Bin? certificateBin, Bin? clinicBin)
    {
        if (account is null || !account.Holds(StaffRoles.Registrar)) return RefusalReasons.StaffNotRegistrar;
        if (account.Disabled) return RefusalReasons.StaffAccountDisabled;
        if (!employeeCertificate || certificateBin is null) return RefusalReasons.StaffNotEmployee;
        // The certificate, the account and the desk must all be the same clinic's.
        if (clinicBin is not { } clinic || certificateBin != clinic) return RefusalReasons.StaffWrongBin;
        if (account.Organisation != clinic) return RefusalReasons.StaffNotRegistrar;
        return null;
    }
}
