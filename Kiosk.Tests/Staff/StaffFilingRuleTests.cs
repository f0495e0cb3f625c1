using Kiosk.Core.Identity;
using Kiosk.Core.Services;
using Kiosk.Core.Staff;

namespace Kiosk.Tests.Staff;

/// <summary>The desk's filing rule (issue 12 item 2): every way it refuses, and the one way it lets a request through.</summary>
public sealed class StaffFilingRuleTests
{
    private static readonly Bin Clinic = Bin.Parse("050540000105");
    private static readonly Bin Other = Bin.Parse("050540000204");

    private static StaffAccount Account(string roles = "registrar", Bin? bin = null, bool disabled = false) =>
        new(Iin.Parse("900712400342"), "Серикова Айгуль", bin ?? Clinic, StaffRoles.Parse(roles)!, "hash", disabled);

    [Fact]
    public void A_registrar_of_this_clinic_signing_as_its_employee_files_the_request() =>
        Assert.Null(StaffFilingRule.Refusal(Account(), true, Clinic, Clinic));

    public static TheoryData<string, StaffAccount?, bool, Bin?, Bin?> Refusals => new()
    {
        { RefusalReasons.StaffNotRegistrar, null, true, Clinic, Clinic },
        { RefusalReasons.StaffNotRegistrar, Account("operator"), true, Clinic, Clinic },
        { RefusalReasons.StaffAccountDisabled, Account(disabled: true), true, Clinic, Clinic },
        { RefusalReasons.StaffNotEmployee, Account(), false, Clinic, Clinic },
        { RefusalReasons.StaffNotEmployee, Account(), true, null, Clinic },
        { RefusalReasons.StaffWrongBin, Account(), true, Other, Clinic },
        { RefusalReasons.StaffWrongBin, Account(), true, Clinic, null },
        { RefusalReasons.StaffNotRegistrar, Account(bin: Other), true, Clinic, Clinic },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_names_its_rule_in_three_languages(string expected, StaffAccount? account, bool employee, Bin? certificateBin, Bin? clinicBin)
    {
        Assert.Equal(expected, StaffFilingRule.Refusal(account, employee, certificateBin, clinicBin));
        foreach (var language in new[] { "kk", "ru", "en" }) Assert.Contains("1414", RefusalReasons.For(expected, language));
    }
}
