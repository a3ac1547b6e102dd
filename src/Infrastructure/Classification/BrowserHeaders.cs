using System.Globalization;
using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Whether a browser-like agent came with the headers every real browser sends on a navigation: Accept-Language;
/// an Accept, when there is one, naming text/html or */*; and Sec-Fetch-* from Chromium 80+ and Firefox 90+ (both
/// send them on every HTTPS navigation). Safari is not held to Sec-Fetch (only 16.4+ sends them, and its version
/// token is the least reliable), nor are in-app browsers (some WebViews leave them out). A missing Accept is not held
/// against a click: partners may pass on only some headers, and scripts send <c>Accept: */*</c> anyway.
/// </summary>
public static class BrowserHeaders
{
    private const int FirstChromiumWithSecFetch = 80;
    private const int FirstFirefoxWithSecFetch = 90;

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
        if (accept is not null
            && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            return false;
        }

        var sendsSecFetch = !inAppBrowser
            && (Version(userAgent!, "Chrome/") >= FirstChromiumWithSecFetch || Version(userAgent!, "Firefox/") >= FirstFirefoxWithSecFetch);
        return !sendsSecFetch || headers.SecFetchMode is not null || headers.SecFetchSite is not null || headers.SecFetchDest is not null;
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
