using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

/// <summary>
/// People opening a link inside an app: one agent per app and platform, in the format the app writes it (Meta's
/// FBAN/FB_IAB/MetaIAB, Instagram, Threads' "Barcelona", LinkedIn, X, TikTok, Snapchat, Pinterest, WeChat, LINE,
/// Telegram, Slack, WhatsApp, a bare Android WebView), with the headers a WebView sends on a navigation.
/// </summary>
public sealed class InAppBrowserTests
{
    private const string Ios = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83";
    private const string Webview = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.83 Mobile Safari/537.36";

    public static readonly object[] Agents =
    [
        new object[] { "Facebook iOS", Ios + " [FBAN/FBIOS;FBAV/488.0.0.68.101;FBBV/658219612;FBDV/iPhone12,8;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/2;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0;IABMV/1]" },
        new object[] { "Facebook Android", Webview + " [FB_IAB/FB4A;FBAV/488.0.0.62.79;IABMV/1;]" },
        new object[] { "Facebook Android (MetaIAB)", "Mozilla/5.0 (Linux; Android 16; Pixel 10 Pro XL Build/CP1A.260305.018; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/146.0.7680.174 Mobile Safari/537.36 MetaIAB Facebook" },
        new object[] { "Facebook iOS (MetaIAB)", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22G100 Safari/604.1 MetaIAB Facebook" },
        new object[] { "Messenger iOS", Ios + " [FBAN/MessengerForiOS;FBAV/458.0.0.40.108;FBBV/612398441;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/3;FBCR/;FBID/phone;FBLC/en_GB;FBOP/5]" },
        new object[] { "Messenger Android", "Mozilla/5.0 (Linux; Android 13; SM-A536U Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/439.0.0.29.119;]" },
        new object[] { "Pages Manager Android", Webview + " [FB_IAB/PMA;FBAV/463.0.0.38.105;]" },
        new object[] { "Instagram iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22F76 Instagram 393.1.0.36.70 (iPhone15,3; iOS 18_5; en_US; en; scale=3.00; 1290x2796; IABMV/1; 776538208)" },
        new object[] { "Instagram Android (a build a public list calls a scanner)", "Mozilla/5.0 (Linux; Android 15; CPH2557 Build/AP3A.240617.008; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.142 Mobile Safari/537.36 Instagram 406.0.0.58.159 Android (35/15; 480dpi; 1080x2400; OPPO; CPH2557; OP573DL1; mt6833; en_MY; 822918295; IABMV/1)" },
        new object[] { "Threads Android", Webview + " Barcelona 355.0.0.39.109 Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; en_US; 658190016)" },
        new object[] { "Threads iOS (MetaIAB)", Ios + " Safari/604.1 MetaIAB Threads" },
        new object[] { "LinkedIn iOS", Ios + " [LinkedInApp]/9.30.1753" },
        new object[] { "LinkedIn Android", Webview + " [LinkedInApp]/4.1.1005" },
        new object[] { "X Android", "Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 TwitterAndroid" },
        new object[] { "X iOS", Ios + " Twitter for iPhone/10.58" },
        new object[] { "TikTok iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_41.9.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US ByteFullLocale/en isDarkMode/0 WKWebView/1 BytedanceWebview/d8a21c6" },
        new object[] { "TikTok Android", "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240105.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/121.0.6167.143 Mobile Safari/537.36 trill_350403 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/35.4.3 ByteLocale/en Region/US BytedanceWebview/d8a21c6" },
        new object[] { "Snapchat iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Snapchat/12.72.0.39 (like Safari/8617.2.4.10.8, panda)" },
        new object[] { "Snapchat Android", Webview + " Snapchat/13.20.0.42 (SM-S918B; Android 14#S918BXXU3BXH8#34; gzip)" },
        new object[] { "Pinterest iOS", Ios + " [Pinterest/iOS]" },
        new object[] { "Pinterest Android", Webview + " [Pinterest/Android]" },
        new object[] { "WeChat Android", "Mozilla/5.0 (Linux; Android 13; SM-A536U Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/en ABI/arm64" },
        new object[] { "WeChat iOS", Ios + " MicroMessenger/8.0.49(0x18003133) NetType/WIFI Language/en" },
        new object[] { "LINE iOS", Ios + " Safari Line/14.10.0" },
        new object[] { "LINE Android", Webview + " Line/14.9.1/IAB" },
        new object[] { "Telegram Android", Webview + " Telegram-Android/11.2.3 (Google Pixel 8; Android 14; SDK 34; HIGH)" },
        new object[] { "Slack desktop", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.41.105 Chrome/130.0.6723.191 Electron/33.2.1 Safari/537.36 Sonic Slack_SSB/4.41.105" },
        new object[] { "WhatsApp iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 [WAiOS/2.25.31]" },
        new object[] { "Android WebView of any app", Webview },
    ];

    /// <summary>What a WebView or an iOS in-app browser sends on a navigation: no Fetch Metadata guaranteed.</summary>
    private static ClientHeaders WebviewHeaders() => new(
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "en-GB,en;q=0.9", "gzip, deflate, br", null, null, null, null, null, null, null);

    [TestCaseSource(nameof(Agents))]
    public void Classify_WhenInAppBrowserNavigates_IsHuman(string app, string agent)
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(agent, Clicks.MobileCarrier, WebviewHeaders()));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human), $"{app}: {string.Join(",", result.Signals)}");
        Assert.That(result.Signals, Is.Empty, app);
    }

    [TestCaseSource(nameof(Agents))]
    public void Match_WhenInAppBrowser_NoListWinsOverIt(string app, string agent)
    {
        var verdict = Matcher().Match(agent);

        Assert.That(verdict, Is.EqualTo(new AgentVerdict(null, true, false, InAppBrowser: true)), app);
    }

    [TestCaseSource(nameof(Agents))]
    public void Classify_WhenInAppAgentFetchesWithoutABrowsersHeaders_IsScanner(string app, string agent)
    {
        var script = new ClientHeaders("*/*", null, "gzip", null, null, null, null, null, null, null);

        var result = Clicks.Classifier().Classify(Clicks.Person(agent, Clicks.MobileCarrier, script));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner), app);
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.MissingBrowserHeaders), app);
    }

    [Test]
    public void Classify_WhenInAppAgentSendsAFetchNotANavigation_IsScanner()
    {
        var fetch = WebviewHeaders() with { Accept = "*/*", SecFetchMode = "cors", SecFetchDest = "empty", SecFetchSite = "cross-site" };

        var result = Clicks.Classifier().Classify(Clicks.Person(Webview + " [FB_IAB/FB4A;FBAV/488.0.0.62.79;]", Clicks.MobileCarrier, fetch));

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.MissingBrowserHeaders));
    }

    [Test]
    public void Classify_WhenIosInAppBrowserOnACloudWithoutHeadersSeen_IsScanner()
    {
        var facts = Clicks.Person(Ios + " [LinkedInApp]/9.30.1753", Clicks.Aws) with { Headers = null };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.DatacenterNetwork));
    }

    [TestCase("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [TestCase("Mozilla/5.0 (compatible; Meta-ExternalHit/1.1; +http://www.facebook.com/externalhit_uatext.php)")]
    [TestCase("meta-externalfetcher/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)")]
    [TestCase("Twitterbot/1.0")]
    [TestCase("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [TestCase("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [TestCase("TelegramBot (like TwitterBot)")]
    [TestCase("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)")]
    [TestCase("Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)")]
    public void Classify_WhenAnAppsPreviewFetcher_StaysAPreview(string agent)
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(agent, Clicks.Aws, WebviewHeaders()));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Preview));
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.AgentList));
    }

    [Test]
    public void Match_WhenAToolWearsAnAppsToken_TheListStillDecides()
    {
        const string brandVerity = "Mozilla/5.0 (iPhone; CPU iPhone OS 7_0 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Mobile/11A465 Twitter for iPhone BrandVerity/1.0 (http://www.brandverity.com/why-is-brandverity-visiting-me)";

        var verdict = Matcher().Match(brandVerity);

        Assert.That(verdict.Listed, Is.EqualTo(BotCategory.Crawler));
        Assert.That(verdict.InAppBrowser, Is.False);
    }

    [TestCase("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1")]
    [TestCase("Instagram 353.0.0.26.90 Android (34/14; 450dpi; 1080x2340; samsung; SM-A546B; a54x; s5e8835; en_GB; 652914384)")]
    public void IsInAppBrowser_WhenABrowserOrAnAppsApiClient_IsFalse(string agent)
    {
        Assert.That(InAppBrowsers.IsInAppBrowser(agent), Is.False);
    }

    [Test]
    public void Match_OverTheCorpus_RecognisesInAppBrowsersAsTheStandaloneCheckDoes()
    {
        var matcher = new AgentMatcher(Options.Create(new ClickClassificationOptions()), ClassificationData.DefaultDirectory, cacheSize: 0);
        var agents = ClassifierCorpusTests.Load().Select(c => c.UserAgent).OfType<string>().Distinct().ToList();

        var differing = agents.Where(a => matcher.Match(a).InAppBrowser != (InAppBrowsers.IsInAppBrowser(a) && matcher.Match(a).Listed is null && !matcher.Match(a).ConfiguredScanner)).ToList();

        Assert.That(agents.Count(InAppBrowsers.IsInAppBrowser), Is.GreaterThan(500));
        Assert.That(differing, Is.Empty);
    }

    private static AgentMatcher Matcher() => new(Options.Create(new ClickClassificationOptions()));
}
