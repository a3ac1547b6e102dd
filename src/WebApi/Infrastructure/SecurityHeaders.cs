using System.Net;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>Headers that keep our own HTML pages from being framed, sniffed or scripted, and the small page they go with.</summary>
public static class SecurityHeaders
{
    /// <summary>A minimal HTML page (title and one paragraph). Nothing from the request is reflected; the texts are ours, encoded all the same.</summary>
    public static string SimplePage(string title, string detail) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p></body></html>
        """;

    public static void ApplyHtml(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
