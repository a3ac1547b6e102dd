using LinkTracking.Domain.Clicks;

namespace LinkTracking.Domain.UnitTests.Clicks;

public sealed class BotClassifierTests
{
    private const string ChromeOnWindows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    [TestCase(ChromeOnWindows)]
    [TestCase(null)]
    public void Classify_WhenRequestIsHead_IsHeadRequest(string? userAgent)
    {
        var reason = BotClassifier.Classify(isHeadRequest: true, userAgent);

        Assert.That(reason, Is.EqualTo("head_request"));
    }

    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [TestCase("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [TestCase("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [TestCase("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [TestCase("Twitterbot/1.0")]
    [TestCase("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [TestCase("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [TestCase("curl/8.4.0")]
    [TestCase("Wget/1.21.4")]
    [TestCase("python-requests/2.31.0")]
    [TestCase("Python-urllib/3.11")]
    [TestCase("Go-http-client/1.1")]
    [TestCase("Java/17.0.2")]
    [TestCase("okhttp/4.12.0")]
    [TestCase("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36")]
    [TestCase("Mozilla/5.0 (compatible; Barracuda Sentinel)")]
    [TestCase("Mimecast-URL-Protect/1.0")]
    [TestCase("Proofpoint URL Defense")]
    public void Classify_WhenUserAgentIsABot_IsUserAgent(string userAgent)
    {
        var reason = BotClassifier.Classify(isHeadRequest: false, userAgent);

        Assert.That(reason, Is.EqualTo("user_agent"));
    }

    [TestCase(ChromeOnWindows)]
    [TestCase("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15")]
    [TestCase("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0")]
    public void Classify_WhenUserAgentIsANormalBrowser_IsHuman(string userAgent)
    {
        var reason = BotClassifier.Classify(isHeadRequest: false, userAgent);

        Assert.That(reason, Is.Null);
    }

    [TestCase(null)]
    [TestCase("")]
    public void Classify_WhenGetHasNoUserAgent_IsHuman(string? userAgent)
    {
        var reason = BotClassifier.Classify(isHeadRequest: false, userAgent);

        Assert.That(reason, Is.Null);
    }
}
