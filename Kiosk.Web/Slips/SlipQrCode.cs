using System.Globalization;
using System.Text;
using QRCoder;

namespace Kiosk.Web.Slips;

/// <summary>
/// The QR code of a slip (issue 6 item 3) as an SVG sized for a 203 dpi thermal printer: error correction M, each
/// module a whole number of printer dots (the largest of 5, 4 or 3 that keeps the code within
/// <see cref="MaxWidthMm"/>), the 4-module quiet zone kept. Sizes are given in millimetres, so the browser's print path
/// puts each module on whole dots; <c>crispEdges</c> keeps the edges sharp on screen.
/// </summary>
public static class SlipQrCode
{
    public const double PrinterDpi = 203;
    public const int QuietZoneModules = 4;
    public const double MaxWidthMm = 56;

    public sealed record Rendered(string Svg, int Modules, int DotsPerModule, double WidthMm);

    public static double DotMm => 25.4 / PrinterDpi;

    public static Rendered Render(string text, string label)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        // QRCoder's matrix carries the 4-module quiet zone on every side.
        var matrix = data.ModuleMatrix;
        var modules = matrix.Count;
        var dots = new[] { 5, 4, 3 }.FirstOrDefault(d => modules * d * DotMm <= MaxWidthMm, 3);
        var widthMm = modules * dots * DotMm;
        var size = widthMm.ToString("0.###", CultureInfo.InvariantCulture) + "mm";

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"slip__qr\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\" ");
        svg.Append(CultureInfo.InvariantCulture,
            $"width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {modules} {modules}\" shape-rendering=\"crispEdges\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{modules}\" height=\"{modules}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (var y = 0; y < modules; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < modules; x++)
            {
                if (!row[x]) continue;
                var start = x;
                while (x + 1 < modules && row[x + 1]) x++;
                svg.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start + 1}v1h-{x - start + 1}z");
            }
        }
        svg.Append("\"/></svg>");
        return new Rendered(svg.ToString(), modules, dots, widthMm);
    }
}
