namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// Which optional API routes this build of the service has, so a page links only to routes that answer. The QR code
/// route (<c>GET /api/v1/link-tracking/links/{tracking_id}/qr</c>) comes from another change; until it is merged the
/// link page shows no QR code.
/// </summary>
public sealed class ApiRoutes(EndpointDataSource endpoints)
{
    private readonly Lazy<bool> _hasLinkQrCode = new(() => endpoints.Endpoints
        .OfType<RouteEndpoint>()
        .Any(e => e.RoutePattern.RawText is { } pattern &&
                  pattern.Contains("link-tracking/links/", StringComparison.Ordinal) &&
                  pattern.EndsWith("/qr", StringComparison.Ordinal)));

    public bool HasLinkQrCode => _hasLinkQrCode.Value;
}
