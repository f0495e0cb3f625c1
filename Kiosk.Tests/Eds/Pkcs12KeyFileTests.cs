using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kiosk.Core.Eds;

namespace Kiosk.Tests.Eds;

[Collection(DemoCaCollection.Name)]
public class Pkcs12KeyFileTests(DemoCaFixture fx)
{
    private byte[] CitizenFile => File.ReadAllBytes(fx.Ca.PathOf(fx.One("valid")));

    [Fact]
    public void The_right_password_opens_the_key_in_memory_with_the_issuing_CA_as_an_extra_certificate()
    {
        var result = Pkcs12KeyFile.Open(CitizenFile, fx.Ca.Password);
        Assert.True(result.Success);
        Assert.Null(result.ErrorCode);
        using var key = result.Key!;
        Assert.True(key.Certificate.HasPrivateKey);
        Assert.Equal(fx.One("valid").Sha1Thumbprint, key.Certificate.Thumbprint);
        var extra = Assert.Single(key.ExtraCertificates);
        Assert.False(extra.HasPrivateKey);
        Assert.Equal(fx.Trust.Intermediates[0].RawData, extra.RawData);
    }

    [Fact]
    public void A_wrong_password_is_told_apart()
    {
        var result = Pkcs12KeyFile.Open(CitizenFile, fx.Ca.Password + "x");
        Assert.Equal(Pkcs12OpenError.WrongPassword, result.Error);
        Assert.Equal("wrong-password", result.ErrorCode);
        Assert.Null(result.Key);
        Assert.Equal(Pkcs12OpenError.WrongPassword, Pkcs12KeyFile.Open(CitizenFile, "").Error);
        Assert.Equal(Pkcs12OpenError.WrongPassword, Pkcs12KeyFile.Open(CitizenFile, (string?)null).Error);
    }

    [Fact]
    public void Bytes_that_are_not_PKCS12_are_told_apart()
    {
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open([], "pw").Error);
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open("hello, this is a text file"u8.ToArray(), "pw").Error);
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open(RandomNumberGenerator.GetBytes(3000), "pw").Error);
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open(fx.Trust.Anchors[0].RawData, "pw").Error);
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open(CitizenFile.AsSpan(0, CitizenFile.Length / 2).ToArray(), fx.Ca.Password).Error);
        var trailing = CitizenFile.Concat(new byte[] { 0, 1, 2 }).ToArray();
        Assert.Equal(Pkcs12OpenError.NotPkcs12, Pkcs12KeyFile.Open(trailing, fx.Ca.Password).Error);
    }

    [Fact]
    public void An_oversized_file_is_refused_before_it_is_parsed()
    {
        var big = new byte[Pkcs12KeyFile.DefaultMaxBytes + 1];
        Assert.Equal(Pkcs12OpenError.TooLarge, Pkcs12KeyFile.Open(big, "pw").Error);
        Assert.Equal(Pkcs12OpenError.TooLarge, Pkcs12KeyFile.Open(CitizenFile, fx.Ca.Password, maxBytes: 100).Error);
    }

    [Fact]
    public void A_certificate_only_PKCS12_file_has_no_private_key()
    {
        using var key = fx.Open(fx.One("valid"));
        using var publicOnly = X509CertificateLoader.LoadCertificate(key.Certificate.RawData);
        var certOnly = new X509Certificate2Collection(publicOnly).ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "secret");
        var result = Pkcs12KeyFile.Open(certOnly, "secret");
        Assert.Equal(Pkcs12OpenError.NoPrivateKey, result.Error);
        Assert.Equal("no-private-key", result.ErrorCode);
        Assert.Equal(Pkcs12OpenError.WrongPassword, Pkcs12KeyFile.Open(certOnly, "other").Error);
    }

    [Fact]
    public void A_file_without_a_password_opens_with_an_empty_entry()
    {
        using var key = fx.Open(fx.One("valid"));
        var noPassword = key.Certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, null);
        var result = Pkcs12KeyFile.Open(noPassword, "");
        Assert.True(result.Success, result.Error.ToString());
        result.Key!.Dispose();
    }

    [Fact]
    public void Every_open_error_has_a_message_in_every_language()
    {
        foreach (var error in Enum.GetValues<Pkcs12OpenError>().Where(e => e != Pkcs12OpenError.None))
        {
            var code = Pkcs12KeyFile.CodeOf(error)!;
            Assert.True(EdsMessages.Has(code), code);
            foreach (var lang in EdsMessages.Languages) Assert.NotEqual(EdsMessages.For(EdsMessages.Generic, lang), EdsMessages.For(code, lang));
        }
    }
}
