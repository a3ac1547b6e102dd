using System.Drawing;
using System.Text;
using LinkTracking.Application.Common.Interfaces;
using QRCoder;

namespace LinkTracking.Infrastructure.QrCodes;

/// <summary>
/// QR codes with QRCoder (MIT): medium error correction (15 % of the code may be lost), a 4-module quiet zone.
/// PNG needs no GDI (<see cref="PngByteQRCode"/>); its width is the largest whole number of pixels per module that
/// fits in the size asked for, so modules stay sharp. SVG is drawn at exactly the size asked for.
/// </summary>
public sealed class QrCoderRenderer : IQrCodeRenderer
{
    public const QRCodeGenerator.ECCLevel ErrorCorrection = QRCodeGenerator.ECCLevel.M;

    public string Version => "qrcoder-1.8.1-M";

    public byte[] RenderPng(string text, int size)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, ErrorCorrection);
        var modules = data.ModuleMatrix.Count;
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(Math.Max(1, size / modules));
    }

    public byte[] RenderSvg(string text, int size)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, ErrorCorrection);
        using var svg = new SvgQRCode(data);
        return Encoding.UTF8.GetBytes(svg.GetGraphic(new Size(size, size)));
    }
}
