using System.Text;
using Kiosk.Core.Requests;
using Kiosk.Web.Pages.Services.HomeCall;

namespace Kiosk.Tests.Web.HomeCall;

/// <summary>The home-call form's cleaning and checks, without a server.</summary>
public class HomeCallFormTests
{
    [Theory]
    [InlineData("87011234567", "+77011234567")]
    [InlineData("8 (701) 123-45-67", "+77011234567")]
    [InlineData("+7 701 123 45 67", "+77011234567")]
    [InlineData("77011234567", "+77011234567")]
    [InlineData("7011234567", "+77011234567")]
    [InlineData("8 7172 55 66 77", "+77172556677")]   // Astana landline
    [InlineData("8 727 250 00 00", "+77272500000")]   // Almaty landline
    [InlineData("87471234567", "+77471234567")]
    public void HomeCall_phone_in_the_usual_kazakhstan_forms_becomes_plus_seven_and_ten_digits(string typed, string expected) =>
        Assert.Equal(expected, HomeCallForm.NormalisePhone(typed));

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("89161234567")]      // a Russian mobile (+7 916): not Kazakhstan
    [InlineData("+79161234567")]
    [InlineData("+77011234567 1")]   // too many digits
    [InlineData("+380441234567")]
    [InlineData("8701123456a")]
    [InlineData("8701+1234567")]
    [InlineData("870112345678901234567")]
    public void HomeCall_phone_that_is_not_a_kazakhstan_number_is_refused(string typed) =>
        Assert.Null(HomeCallForm.NormalisePhone(typed));

    [Fact]
    public void HomeCall_text_is_trimmed_collapsed_and_nfc()
    {
        Assert.Equal("Астана, кв. 3й", HomeCallForm.CleanText("  Астана,\t\r\n кв.  3и\u0306 \u0000"));
        Assert.True(HomeCallForm.CleanText("е\u0308").IsNormalized(NormalizationForm.FormC));
        Assert.Equal("a b", HomeCallForm.CleanText("a\ud800 b"));  // an unpaired surrogate goes
        Assert.Equal("😀 ok", HomeCallForm.CleanText(" 😀  ok "));
        Assert.Equal("", HomeCallForm.CleanText(null));
    }

    [Fact]
    public void HomeCall_form_that_passes_makes_a_draft_whose_details_a_document_accepts()
    {
        var id = Guid.NewGuid();
        var (draft, problems) = HomeCallForm.Check(id, " Астана, Абай 1 ", "8 701 123 45 67", HomeCallReasons.Other, "  ");
        Assert.Empty(problems);
        Assert.NotNull(draft);
        Assert.Equal(id, draft.RequestId);
        Assert.Null(draft.Note); // an empty note is left out, never ""
        var details = draft.ToDetails();
        Assert.Equal("+77011234567", details.Phone);
        Assert.DoesNotContain("Астана", draft.ToString());
        Assert.DoesNotContain("701", draft.ToString());
    }

    [Fact]
    public void HomeCall_form_problems_name_their_fields()
    {
        var (draft, problems) = HomeCallForm.Check(Guid.NewGuid(), null, null, null, new string('x', 501));
        Assert.Null(draft);
        Assert.Equal(
            [("Address", "address-missing"), ("Phone", "phone-missing"), ("Reason", "reason-missing"), ("Note", "note-too-long")],
            problems);
    }

    [Fact]
    public void HomeCall_receipt_number_is_the_first_eight_hex_digits()
    {
        Assert.Equal("3F2B-8C1E", HomeCallReceipt.ShortForm(Guid.Parse("3f2b8c1e-7a4d-4e6b-9c0a-5d1e2f3a4b5c")));
        Assert.Equal("+7 701 123 45 67", HomeCallForm.DisplayPhone("+77011234567"));
    }
}
