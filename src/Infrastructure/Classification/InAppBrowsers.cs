using System.Buffers;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Recognises in-app browsers and WebViews — a person who opened the link inside an app — by the tokens the apps
/// append to the engine's own agent, as their published formats write them:
/// <list type="bullet">
/// <item>Meta: <c>[FBAN/FBIOS;FBAV/…]</c> (Facebook iOS, and <c>FBAN/MessengerForiOS</c>, Pages Manager),
/// <c>[FB_IAB/FB4A;FBAV/…]</c> (Android; <c>FB_IAB/Orca-Android</c> is Messenger, <c>FB_IAB/PMA</c> Pages Manager),
/// <c>MetaIAB Facebook</c> / <c>MetaIAB Instagram</c> / <c>MetaIAB Messenger</c> / <c>MetaIAB Threads</c> (2025–2026),
/// <c>Instagram 353.0.0.26.90 (…)</c>, <c>Barcelona 355.0.0.39.109 (…)</c> (Threads);</item>
/// <item>LinkedIn <c>[LinkedInApp]/9.30…</c>; X <c>TwitterAndroid</c>, <c>Twitter for iPhone</c>/<c>iPad</c>;
/// TikTok <c>musical_ly_35.1.0</c>, <c>trill_350403</c>, <c>BytedanceWebview/d8a21c6</c>, <c>TikTok 37.4.0</c>;
/// Snapchat <c>Snapchat/12.72.0.39</c>; Pinterest <c>[Pinterest/iOS]</c>, <c>[Pinterest/Android]</c>;
/// WeChat <c>MicroMessenger/8.0.47</c>; LINE <c>Line/14.10.0</c>; Telegram <c>Telegram-Android/11.2.3 (…)</c>;
/// Slack <c>Slack/4.41.105</c>, <c>Slack_SSB/4.41.105</c>; WhatsApp <c>[WA4A/2.25…]</c>, <c>[WAiOS/2.25…]</c>;</item>
/// <item>any Android WebView: <c>(Linux; Android 14; Pixel 8 Build/…; wv)</c>.</item>
/// </list>
/// Only agents built on a browser engine count (<c>Mozilla/5.0 (</c> … <c>AppleWebKit/</c>), and never one that
/// describes itself as a robot (a URL, <c>compatible;</c>, <c>spider</c>, <c>crawl</c>, <c>headless</c>): the apps'
/// own fetchers (<c>facebookexternalhit</c>, <c>Twitterbot</c>, <c>Slackbot</c>, <c>LinkedInBot</c>, <c>TelegramBot</c>,
/// <c>TikTokSpider</c>) and tools wearing an app's token (<c>… Twitter for iPhone BrandVerity/1.0 (http://…)</c>) stay
/// on the lists.
/// </summary>
public static class InAppBrowsers
{
    /// <summary>The app's token, and whether a version digit must follow it (<c>Instagram 353</c>, not "Instagram").</summary>
    public static IReadOnlyList<(string Token, bool DigitAfter)> AppTokens { get; } =
    [
        ("FBAN/", false), ("FBAV/", false), ("FB_IAB/", false), ("FBIOS", false), ("MetaIAB", false),
        ("Instagram ", true), ("Barcelona ", true),
        ("LinkedInApp", false),
        ("TwitterAndroid", false), ("Twitter for iPhone", false), ("Twitter for iPad", false),
        ("musical_ly", false), ("trill_", true), ("BytedanceWebview", false), ("TikTok ", true), ("TikTok/", true),
        ("Snapchat/", true),
        ("[Pinterest/", false), ("Pinterest for Android", false),
        ("MicroMessenger/", false),
        (" Line/", true),
        ("Telegram-Android/", true),
        ("Slack/", true), ("Slack_SSB/", false),
        ("[WA4A/", false), ("[WAiOS/", false),
    ];

    /// <summary>Words a robot uses to describe itself (any case); no in-app browser's agent holds one.</summary>
    public static IReadOnlyList<string> RobotWords { get; } = ["http:", "https:", "compatible;", "spider", "crawl", "headless"];

    private static readonly SearchValues<string> AnyToken = SearchValues.Create([.. AppTokens.Select(t => t.Token)], StringComparison.Ordinal);

    private static readonly SearchValues<string> AnyRobotWord = SearchValues.Create([.. RobotWords], StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the agent is an app's in-app browser or an Android WebView on a browser engine.</summary>
    public static bool IsInAppBrowser(string? userAgent) =>
        userAgent is not null
        && IsInAppBrowser(
            userAgent,
            userAgent.AsSpan().IndexOfAny(AnyToken) >= 0 && AppTokens.Any(t => HasToken(userAgent, t.Token, t.DigitAfter)),
            userAgent.AsSpan().IndexOfAny(AnyRobotWord) >= 0);

    /// <summary>
    /// The same, when the caller already knows whether the agent holds an app token and a robot word (the agent lists'
    /// prefilter finds both in the pass it makes anyway).
    /// </summary>
    public static bool IsInAppBrowser(string userAgent, bool appToken, bool robotWord)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        return !robotWord
            && userAgent.StartsWith("Mozilla/5.0 (", StringComparison.Ordinal)
            && userAgent.Contains("AppleWebKit/", StringComparison.Ordinal)
            && (appToken || IsAndroidWebView(userAgent));
    }

    /// <summary>An Android WebView marks itself with <c>wv</c> as the last part of its platform: <c>(Linux; Android 14; Pixel 8 Build/…; wv)</c>.</summary>
    public static bool IsAndroidWebView(string userAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        var close = userAgent.IndexOf(')', StringComparison.Ordinal);
        return close > 0
            && userAgent.StartsWith("Mozilla/5.0 (Linux; Android", StringComparison.Ordinal)
            && userAgent.AsSpan(0, close).EndsWith("; wv", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="token"/> occurs in the agent (followed by a digit when <paramref name="digitAfter"/>).</summary>
    public static bool HasToken(string userAgent, string token, bool digitAfter)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        ArgumentNullException.ThrowIfNull(token);
        for (var at = userAgent.IndexOf(token, StringComparison.Ordinal); at >= 0; at = userAgent.IndexOf(token, at + 1, StringComparison.Ordinal))
        {
            var after = at + token.Length;
            if (!digitAfter || (after < userAgent.Length && char.IsAsciiDigit(userAgent[after])))
            {
                return true;
            }
        }

        return false;
    }
}
