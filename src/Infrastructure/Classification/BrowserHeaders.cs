using System.Globalization;
using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Whether a browser-like agent came with the headers every real browser sends on a navigation: Accept-Language;
/// an Accept, when there is one, naming text/html or */* (text/html from an in-app browser, whose navigations all
/// say so); a <c>Sec-Fetch-Mode</c>, when there is one, of <c>navigate</c> (a fetch or a sub-resource is not a person
/// following a link); and Sec-Fetch-* from Chromium 80+ and Firefox 90+ (both send them on every HTTPS navigation).
/// Safari is held to Sec-Fetch only on a cloud network (16.4+ sends
/// them, and a complete header set is what lets a cloud click count as a person; elsewhere its version token is not
/// trusted that far), in-app browsers never (some WebViews leave them out). A missing Accept is not held against a
/// click: partners may pass on only some headers, and scripts send <c>Accept: */*</c> anyway.
/// </summary>
public static class BrowserHeaders
{
    private const int FirstChromiumWithSecFetch = 80;
    private const int FirstFirefoxWithSecFetch = 90;

    /// <summary>Safari sends Fetch Metadata since 16.4; held to it from 17 (the major version is what the agent says reliably).</summary>
    private const int FirstSafariHeldToSecFetch = 17;

    /// <summary>An agent that claims to be a desktop or mobile browser: <c>Mozilla/…</c> with Chrome, Firefox, Safari or Edge.</summary>
    public static bool IsBrowserLike(string? userAgent) =>
        userAgent is not null
        && userAgent.StartsWith("Mozilla/", StringComparison.Ordinal)
        && (userAgent.Contains("Chrome/", StringComparison.Ordinal)
            || userAgent.Contains("Firefox/", StringComparison.Ordinal)
            || userAgent.Contains("Safari/", StringComparison.Ordinal)
            || userAgent.Contains("Edg/", StringComparison.Ordinal));

    /// <summary>
    /// True: complete; false: a browser-like agent (or an in-app browser, <see cref="InAppBrowsers"/>) without them;
    /// null: cannot tell (no headers, or not browser-like).
    /// </summary>
    /// <param name="userAgent">The agent.</param>
    /// <param name="headers">The headers seen, or null.</param>
    /// <param name="humanApp">An app on a human list (Teams, Samsung Internet…): not held to Sec-Fetch.</param>
    /// <param name="inAppBrowser">An in-app browser or WebView (<see cref="InAppBrowsers"/>): judged even without a
    /// browser's product token (iOS apps leave out <c>Safari/</c>), held to an Accept naming text/html, not to Sec-Fetch.</param>
    /// <param name="holdSafariToFetchMetadata">Hold Safari 17+ to Sec-Fetch as well (on cloud networks).</param>
    public static bool? Complete(string? userAgent, ClientHeaders? headers, bool humanApp, bool inAppBrowser = false, bool holdSafariToFetchMetadata = false)
    {
        if (headers is null || userAgent is null || !(inAppBrowser || IsBrowserLike(userAgent)))
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
            && (inAppBrowser || !accept.Contains("*/*", StringComparison.Ordinal)))
        {
            return false;
        }

        if (headers.SecFetchMode is { } mode && !string.Equals(mode, "navigate", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var sendsSecFetch = !humanApp && !inAppBrowser
            && (Version(userAgent, "Chrome/") >= FirstChromiumWithSecFetch
                || Version(userAgent, "Firefox/") >= FirstFirefoxWithSecFetch
                || (holdSafariToFetchMetadata && SafariVersion(userAgent) >= FirstSafariHeldToSecFetch));
        return !sendsSecFetch || headers.SecFetchMode is not null || headers.SecFetchSite is not null || headers.SecFetchDest is not null;
    }

    /// <summary>Safari's major version (<c>Version/17.6 … Safari/</c>), or 0 for anything else (Chrome, Firefox, Edge on iOS included).</summary>
    public static int SafariVersion(string userAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        return userAgent.Contains("Safari/", StringComparison.Ordinal)
            && !userAgent.Contains("Chrome/", StringComparison.Ordinal)
            && !userAgent.Contains("CriOS/", StringComparison.Ordinal)
            && !userAgent.Contains("FxiOS/", StringComparison.Ordinal)
            && !userAgent.Contains("EdgiOS/", StringComparison.Ordinal)
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
