namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Draws QR codes (medium error correction, a 4-module quiet zone).</summary>
public interface IQrCodeRenderer
{
    /// <summary>Changes when the same text would be drawn differently (part of the ETag).</summary>
    string Version { get; }

    /// <summary>A PNG at most <paramref name="size"/> pixels wide: the largest whole number of pixels per module that fits.</summary>
    byte[] RenderPng(string text, int size);

    /// <summary>An SVG <paramref name="size"/> pixels wide and high.</summary>
    byte[] RenderSvg(string text, int size);
}
