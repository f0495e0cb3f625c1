using System.Text.Json;
using Kiosk.Core.Slips;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using ZXing;
using ZXing.Common;

namespace Kiosk.SlipCheck;

/// <summary>
/// The offline slip checker (issue 6 item 4): checks a token, or the QR code in a photo or screenshot of a slip,
/// against a saved JWKS, with no network. Prints the result as JSON (valid, kind, claims, problems).
/// Exit codes: 0 genuine, 1 not genuine, 2 usage or unreadable input.
/// </summary>
public static class SlipCheckCommand
{
    public const string Usage = """
        Checks a slip offline against a saved JWKS (download it once from Central's /.well-known/jwks.json).

        Usage:
          Kiosk.SlipCheck --jwks <jwks.json> --token <token or QR text>
          Kiosk.SlipCheck --jwks <jwks.json> --image <slip.png|jpg>

        Prints {"valid", "kind", "claims", "problems", "qrText"}; exits 0 when genuine, 1 when not, 2 on bad usage or input.
        """;

    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? jwksPath = null, token = null, image = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--jwks" when value is not null: jwksPath = value; i++; break;
                case "--token" when value is not null: token = value; i++; break;
                case "--image" when value is not null: image = value; i++; break;
                default:
                    stderr.WriteLine(Usage);
                    return 2;
            }
        }
        if (jwksPath is null || (token is null) == (image is null))
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        SlipJwkSet keys;
        try
        {
            keys = SlipJwkSet.Parse(File.ReadAllText(jwksPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.FormatException)
        {
            stderr.WriteLine($"Cannot read the JWKS {jwksPath}: {e.Message}");
            return 2;
        }

        if (image is not null)
        {
            try
            {
                token = ReadQr(image);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnknownImageFormatException or InvalidImageContentException)
            {
                stderr.WriteLine($"Cannot read the image {image}: {e.Message}");
                return 2;
            }
            if (token is null)
            {
                stderr.WriteLine($"No QR code found in {image}.");
                return 2;
            }
        }

        var result = SlipToken.Verify(token!, keys);
        stdout.WriteLine(JsonSerializer.Serialize(new
        {
            valid = result.Valid,
            kind = result.Kind,
            claims = result.Claims,
            problems = result.Problems,
            kid = result.Kid,
            qrText = image is not null ? token : null,
        }, Output));
        return result.Valid ? 0 : 1;
    }

    /// <summary>The text of the QR code in an image, or null when there is none.</summary>
    public static string? ReadQr(string path)
    {
        using var picture = Image.Load<Rgba32>(path);
        var luminance = new byte[picture.Width * picture.Height];
        picture.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    // Transparent is paper: composite on white before taking the luminance.
                    int Mix(byte c) => (c * p.A + 255 * (255 - p.A)) / 255;
                    luminance[y * rows.Width + x] = (byte)((Mix(p.R) * 299 + Mix(p.G) * 587 + Mix(p.B) * 114) / 1000);
                }
            }
        });
        var source = new PlanarYUVLuminanceSource(luminance, picture.Width, picture.Height, 0, 0, picture.Width, picture.Height, false);
        var hints = new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
            [DecodeHintType.TRY_HARDER] = true,
        };
        return new ZXing.QrCode.QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints)?.Text;
    }
}
