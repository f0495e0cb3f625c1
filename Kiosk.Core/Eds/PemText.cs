using System.Security.Cryptography;
using System.Text;

namespace Kiosk.Core.Eds;

/// <summary>Finding PEM blocks (RFC 7468) in bytes that may be PEM or DER.</summary>
internal static class PemText
{
    private static readonly byte[] Begin = "-----BEGIN "u8.ToArray();

    /// <summary>True when the bytes contain a PEM header (DER never starts with text; we look anywhere so comments before the block work).</summary>
    public static bool LooksLikePem(ReadOnlySpan<byte> data) => data.IndexOf(Begin) >= 0;

    /// <summary>The decoded contents of every block labelled <paramref name="label"/>, in order.</summary>
    public static List<byte[]> Blocks(ReadOnlySpan<byte> data, string label)
    {
        var result = new List<byte[]>();
        ReadOnlySpan<char> text = Encoding.Latin1.GetString(data);
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(label))
            {
                var bytes = new byte[fields.DecodedDataLength];
                if (Convert.TryFromBase64Chars(text[fields.Base64Data], bytes, out var written))
                    result.Add(bytes.AsSpan(0, written).ToArray());
            }
            text = text[fields.Location.End..];
        }
        return result;
    }
}
