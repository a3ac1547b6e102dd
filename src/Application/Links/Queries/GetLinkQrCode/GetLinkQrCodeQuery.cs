using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLinkQrCode;

/// <summary>
/// The QR code of a link's redirect URL with <c>?src=qr</c>, so that scans count with click source <c>qr</c>.
/// <see cref="Format"/> is <c>png</c> (default) or <c>svg</c>; <see cref="Size"/> the width in pixels, 64 to 2048
/// (default 256).
/// </summary>
public sealed record GetLinkQrCodeQuery(string TrackingId, string? Format, int? Size) : IQuery<QrCodeImage>
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;
    public const int DefaultSize = 256;
    public const string Png = "png";
    public const string Svg = "svg";
}

/// <summary>A rendered QR code: the image, its media type, a strong validator and the URL it encodes.</summary>
public sealed record QrCodeImage(byte[] Content, string ContentType, string ETag, string EncodedUrl);
