using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>{LinkTracking:PublicBaseUrl or the request's scheme and host}/track/{tracking_id}</c>; on a branded domain
/// <c>https://{domain}{short_path}/{code}</c>.
/// </summary>
public sealed class HttpLinkUrls(IHttpContextAccessor accessor, IOptions<LinkTrackingOptions> options) : ILinkUrls
{
    private readonly string? _publicBase = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? null : options.Value.PublicBaseUrl.TrimEnd('/');

    public string RedirectUrlFor(string trackingId)
    {
        var baseUrl = _publicBase;
        if (baseUrl is null)
        {
            var request = accessor.HttpContext?.Request;
            baseUrl = request is null ? "http://localhost" : $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
        }

        return $"{baseUrl}/track/{trackingId}";
    }

    public string BrandedUrlFor(string domain, string shortCode) =>
        $"https://{domain}{options.Value.FindDomain(domain)?.NormalisedShortPath}/{shortCode}";
}
