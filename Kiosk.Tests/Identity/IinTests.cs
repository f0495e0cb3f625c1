using Kiosk.Core.Identity;

namespace Kiosk.Tests.Identity;

public class IinTests
{
    [Theory]
    [InlineData("450617336583")]
    [InlineData("831018496094")]
    [InlineData("660215380320")]
    [InlineData("860401318145")]
    public void Known_valid_numbers_parse(string s) => Assert.True(Iin.TryParse(s, out _));
}
