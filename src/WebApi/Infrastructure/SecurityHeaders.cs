namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Headers that keep our own HTML pages from being framed, sniffed or scripted.</summary>
public static class SecurityHeaders
{
    public static void ApplyHtml(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
