using System.Globalization;
using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Whether a browser-like agent came with the headers every real browser sends on a navigation: Accept-Language;
/// an Accept naming text/html or */*; and Sec-Fetch-* from Chromium 80+, Firefox 90+ and Safari 17+ (WebKit shipped
/// Fetch Metadata in Safari 16.4; all send them on every HTTPS navigation). In-app browsers (WebViews) are spared the
/// Sec-Fetch check: some WebViews leave them out.
/// </summary>
public static class BrowserHeaders
{
    private const int FirstChromiumWithSecFetch = 80;
    private const int FirstFirefoxWithSecFetch = 90;
    private const int FirstSafariCheckedForSecFetch = 17;

    /// <summary>An agent that claims to be a desktop or mobile browser: <c>Mozilla/…</c> with Chrome, Firefox, Safari or Edge.</summary>
    public static bool IsBrowserLike(string? userAgent) =>
        userAgent is not null
        && userAgent.StartsWith("Mozilla/", StringComparison.Ordinal)
        && (userAgent.Contains("Chrome/", StringComparison.Ordinal)
            || userAgent.Contains("Firefox/", StringComparison.Ordinal)
            || userAgent.Contains("Safari/", StringComparison.Ordinal)
            || userAgent.Contains("Edg/", StringComparison.Ordinal));

    /// <summary>True: complete; false: a browser-like agent without them; null: cannot tell (no headers, or not browser-like).</summary>
    public static bool? Complete(string? userAgent, ClientHeaders? headers, bool inAppBrowser)
    {
        if (headers is null || !IsBrowserLike(userAgent))
        {
            return null;
        }

        if (headers.AcceptLanguage is null)
        {
            return false;
        }

        var accept = headers.Accept;
        if (accept is null
            || (!accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal)))
        {
            return false;
        }

        var sendsSecFetch = !inAppBrowser
            && (Version(userAgent!, "Chrome/") >= FirstChromiumWithSecFetch
                || Version(userAgent!, "Firefox/") >= FirstFirefoxWithSecFetch
                || SafariVersion(userAgent!) >= FirstSafariCheckedForSecFetch);
        return !sendsSecFetch || headers.SecFetchMode is not null || headers.SecFetchSite is not null || headers.SecFetchDest is not null;
    }

    /// <summary>Safari's own version (<c>Version/17.6 … Safari/</c>), 0 for anything else that says Safari.</summary>
    public static int SafariVersion(string userAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        return userAgent.Contains("Safari/", StringComparison.Ordinal)
            && !userAgent.Contains("Chrome/", StringComparison.Ordinal)
            && !userAgent.Contains("Android", StringComparison.Ordinal)
            ? Version(userAgent, "Version/")
            : 0;
    }

    /// <summary>The major version after a product token (<c>Chrome/126.0…</c> → 126), or 0.</summary>
    public static int Version(string userAgent, string product)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        var at = userAgent.IndexOf(product, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var digits = userAgent.AsSpan(at + product.Length);
        var length = 0;
        while (length < digits.Length && length < 6 && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return length > 0 && int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;
    }
}
