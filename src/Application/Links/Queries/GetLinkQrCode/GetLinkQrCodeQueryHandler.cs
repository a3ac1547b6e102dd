using System.Security.Cryptography;
using System.Text;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLinkQrCode;

public sealed class GetLinkQrCodeQueryHandler(ITrackedLinkRepository links, ILinkUrls linkUrls, IQrCodeRenderer renderer)
    : IQueryHandler<GetLinkQrCodeQuery, QrCodeImage>
{
    public async ValueTask<QrCodeImage> Handle(GetLinkQrCodeQuery query, CancellationToken cancellationToken)
    {
        var link = await links.GetByTrackingIdAsync(query.TrackingId, cancellationToken)
            ?? throw NotFoundException.For("Link", query.TrackingId);

        var url = linkUrls.RedirectUrlFor(link) + "?src=qr";
        var format = query.Format ?? GetLinkQrCodeQuery.Png;
        var size = query.Size ?? GetLinkQrCodeQuery.DefaultSize;
        var svg = format == GetLinkQrCodeQuery.Svg;
        var content = svg ? renderer.RenderSvg(url, size) : renderer.RenderPng(url, size);

        // The image depends only on the URL, the format and the size (and the renderer's version, in the key too).
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{renderer.Version}|{format}|{size}|{url}"));
        var etag = $"\"qr-{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"";
        return new QrCodeImage(content, svg ? "image/svg+xml" : "image/png", etag, url);
    }
}
