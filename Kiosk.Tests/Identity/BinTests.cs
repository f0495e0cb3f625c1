using Kiosk.Core.Identity;

namespace Kiosk.Tests.Identity;

public class BinTests
{
    [Theory]
    [InlineData("940140000385", 94, 1, BinEntityType.ResidentLegalEntity)]
    [InlineData("961141000023", 96, 11, BinEntityType.ResidentLegalEntity)]
    public void Known_valid_bins_parse(string s, int year, int month, BinEntityType type)
    {
        Assert.True(Bin.TryParse(s, out var bin, out var error), error.ToString());
        Assert.Equal((year, month), bin.Registered);
        Assert.Equal(type, bin.EntityType);
    }

    [Fact]
    public void Second_pass_bin()
    {
        var first = "96114100002".Select((c, i) => (c - '0') * (i + 1)).Sum();
        Assert.Equal(10, first % 11);
        Assert.Equal(3, CheckDigit.Compute("96114100002"));
    }

    [Theory]
    [InlineData("", BinError.Empty)]
    [InlineData("94014000038", BinError.WrongLength)]
    [InlineData("9401400003x5", BinError.NotDigits)]
    [InlineData("941340000385", BinError.BadMonth)]
    [InlineData("940130000385", BinError.BadTypeDigit)]
    [InlineData("940140000386", BinError.CheckDigitMismatch)]
    public void Invalid_bins_are_refused_with_their_reason(string s, BinError expected)
    {
        Assert.False(Bin.TryParse(s, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Type_digits_five_and_six_are_accepted()
    {
        foreach (var type in new[] { '5', '6' })
        {
            // The first serial whose digits have a check digit (some have none, like 640812331880's).
            var s = Enumerable.Range(12345, 20).Select(n => $"0312{type}0{n:D5}")
                .Where(f => CheckDigit.Compute(f) is not null).Select(f => f + CheckDigit.Compute(f)).First();
            Assert.True(Bin.TryParse(s, out var bin), s);
            Assert.Equal((BinEntityType)(type - '0'), bin.EntityType);
        }
    }
}
