using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;

namespace Kiosk.Tests.Eds;

public class EdsMessagesTests
{
    private const string KazakhLetters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";

    [Fact]
    public void The_problem_codes_are_exactly_the_eleven_of_the_issue()
    {
        string[] issue = ["untrusted", "expired", "not-yet-valid", "revoked", "crl-stale", "crl-missing", "wrong-key-usage", "no-iin", "bad-iin", "unsupported-algorithm", "malformed"];
        Assert.Equal(issue.Order(StringComparer.Ordinal), EdsProblemCodes.All.Order(StringComparer.Ordinal));
        Assert.Equal(11, EdsProblemCodes.All.Distinct().Count());
    }

    [Fact]
    public void Every_code_has_three_distinct_messages_kazakh_in_kazakh_cyrillic_with_something_to_do()
    {
        foreach (var code in EdsProblemCodes.All.Concat(EdsMessages.Codes).Distinct())
        {
            Assert.True(EdsMessages.Has(code), code);
            var kk = EdsMessages.For(code, "kk");
            var ru = EdsMessages.For(code, "ru");
            var en = EdsMessages.For(code, "en");
            Assert.Equal(3, new[] { kk, ru, en }.Distinct().Count());
            Assert.True(kk.IndexOfAny(KazakhLetters.ToCharArray()) >= 0, $"{code}: kk has no Kazakh letters: {kk}");
            Assert.True(ru.IndexOfAny(KazakhLetters.ToCharArray()) < 0, $"{code}: ru has Kazakh letters: {ru}");
            Assert.Matches("[А-Яа-яЁё]", ru);
            Assert.DoesNotMatch("[А-Яа-я]", en);
            // What to do next: a call-centre number, a Public Service Centre, or which file to choose.
            Assert.Matches("1414|ХҚКО|AUTH_", kk);
            Assert.Matches("1414|ЦОН|AUTH_", ru);
            Assert.Matches("1414|Public Service Centre|AUTH_", en);
        }
    }

    [Fact]
    public void Renewal_messages_send_the_citizen_to_a_public_service_centre()
    {
        foreach (var code in new[] { EdsProblemCodes.Expired, EdsProblemCodes.Revoked })
        {
            Assert.Contains("ХҚКО", EdsMessages.For(code, "kk"));
            Assert.Contains("ЦОН", EdsMessages.For(code, "ru"));
            Assert.Contains("Public Service Centre", EdsMessages.For(code, "en"));
        }
    }

    [Fact]
    public void Culture_names_work_unknown_languages_fall_back_to_russian_and_unknown_codes_to_the_generic_text()
    {
        Assert.Equal(EdsMessages.For("expired", "kk"), EdsMessages.For("expired", "kk-KZ"));
        Assert.Equal(EdsMessages.For("expired", "ru"), EdsMessages.For("expired", "de"));
        Assert.Equal(EdsMessages.For(EdsMessages.Generic, "en"), EdsMessages.For("no-such-code", "en"));
        var problem = new EdsProblem(EdsProblemCodes.Revoked, EdsSeverity.Error, "serial 01");
        Assert.Equal(EdsMessages.For("revoked", "en"), problem.Message("en"));
    }
}

public class CertificateSubjectTests
{
    private static CertificateSubject Read(string dn, out IReadOnlyList<EdsProblem> problems) =>
        CertificateSubject.Read(new X500DistinguishedName(dn), out problems);

    [Fact]
    public void Reads_the_national_profile_with_the_patronymic_in_GIVENNAME()
    {
        var s = Read("CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, SERIALNUMBER=IIN450617336583, C=KZ, G=ТЕСТОВИЧ", out var problems);
        Assert.Empty(problems);
        Assert.Equal("450617336583", s.Iin?.Value);
        Assert.Equal("ТЕСТОВ", s.Surname);
        Assert.Equal("ТЕСТ", s.FirstName);
        Assert.Equal("ТЕСТОВИЧ", s.Patronymic);
        Assert.Equal("ТЕСТОВ ТЕСТ ТЕСТОВИЧ", s.FullName);
    }

    [Fact]
    public void Reads_a_legal_entity_employee()
    {
        var bin = Kiosk.Core.Eds.Demo.DemoCa.SyntheticClinicBin().Value;
        var s = Read($"CN=АЛИЕВ АЛИ, SN=АЛИЕВ, SERIALNUMBER=IIN450617336583, C=KZ, O=\"ТОО Ромашка\", OU=BIN{bin}, G=АЛИЕВИЧ", out var problems);
        Assert.Empty(problems);
        Assert.Equal(bin, s.Bin?.Value);
        Assert.Equal("ТОО Ромашка", s.Organisation);
    }

    [Theory]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, C=KZ", "no-iin")]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SERIALNUMBER=BIN100140012345, C=KZ", "no-iin")]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SERIALNUMBER=IIN450617336584, C=KZ", "bad-iin")]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SERIALNUMBER=IIN45061733658, C=KZ", "bad-iin")]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SERIALNUMBER=IIN450617336583, SERIALNUMBER=IIN831018496094, C=KZ", "bad-iin")]
    [InlineData("CN=ТЕСТОВ ТЕСТ, SERIALNUMBER=IIN450617336583, OU=BIN100140012340, C=KZ", "bad-iin")]
    public void Missing_or_invalid_identifiers_are_reported(string dn, string code)
    {
        var s = Read(dn, out var problems);
        Assert.Equal(code, Assert.Single(problems).Code);
        if (code == "no-iin") Assert.Null(s.Iin);
    }

    [Fact]
    public void The_first_name_falls_back_to_what_follows_the_first_word_of_CN()
    {
        var s = Read("CN=ИВАНОВ ИВАН, SERIALNUMBER=IIN450617336583", out _);
        Assert.Null(s.Surname);
        Assert.Equal("ИВАН", s.FirstName);
    }
}
