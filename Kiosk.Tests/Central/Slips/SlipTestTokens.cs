using System.Buffers.Text;
using System.IO.Compression;
using System.Text;

namespace Kiosk.Tests.Central.Slips;

/// <summary>Forgeries for tests: a token whose claims were changed after signing.</summary>
public static class SlipTestTokens
{
    public static string ReplaceClaims(string token, Func<string, string> change)
    {
        var parts = token.Split('.');
        using var inflate = new DeflateStream(new MemoryStream(Base64Url.DecodeFromChars(parts[1])), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        var json = reader.ReadToEnd();
        var forged = change(json);
        if (forged == json) throw new ArgumentException("The change changed nothing.");
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(Encoding.UTF8.GetBytes(forged));
        return parts[0] + "." + Base64Url.EncodeToString(output.ToArray()) + "." + parts[2];
    }
}
