using LinkTracking.Infrastructure.Classification;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class BrowserHeadersTests
{
    [Test]
    public void Complete_WhenChromeSendsEverything_IsTrue()
    {
        var result = BrowserHeaders.Complete(Clicks.Chrome, Clicks.ChromeHeaders(), humanApp: false);

        Assert.That(result, Is.True);
    }

    [Test]
    public void Complete_WhenHeadersUnseen_IsNull()
    {
        var result = BrowserHeaders.Complete(Clicks.Chrome, null, humanApp: false);

        Assert.That(result, Is.Null);
    }

    [Test]
    public void Complete_WhenAgentIsNotBrowserLike_IsNull()
    {
        var result = BrowserHeaders.Complete("curl/8.5.0", Clicks.ChromeHeaders() with { AcceptLanguage = null }, humanApp: false);

        Assert.That(result, Is.Null);
    }

    [Test]
    public void Complete_WhenFirefox90WithoutSecFetch_IsFalse()
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null };

        var result = BrowserHeaders.Complete(Clicks.Firefox, headers, humanApp: false);

        Assert.That(result, Is.False);
    }

    [Test]
    public void Complete_WhenAcceptIsAnything_IsTrue()
    {
        var result = BrowserHeaders.Complete(Clicks.IphoneSafari, Clicks.ChromeHeaders() with { Accept = "*/*" }, humanApp: false);

        Assert.That(result, Is.True);
    }

    [Test]
    public void Complete_WhenSafariWithoutSecFetch_IsTrue()
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null };

        var result = BrowserHeaders.Complete(Clicks.IphoneSafari, headers, humanApp: false);

        Assert.That(result, Is.True);
    }

    [Test]
    public void Complete_WhenAcceptMissing_IsNotHeldAgainstIt()
    {
        var result = BrowserHeaders.Complete(Clicks.Chrome, Clicks.ChromeHeaders() with { Accept = null }, humanApp: false);

        Assert.That(result, Is.True);
    }

    [Test]
    public void Complete_WhenChromeWithoutAcceptLanguage_IsFalse()
    {
        var result = BrowserHeaders.Complete(Clicks.Chrome, Clicks.ChromeHeaders() with { AcceptLanguage = null }, humanApp: false);

        Assert.That(result, Is.False);
    }

    [TestCase("Mozilla/5.0 (X11) Chrome/131.0.6778.85 Safari/537.36", "Chrome/", 131)]
    [TestCase("Mozilla/5.0 Firefox/91.0", "Firefox/", 91)]
    [TestCase("Mozilla/5.0 Safari/605", "Chrome/", 0)]
    public void Version_ReadsTheMajorVersion(string agent, string product, int expected)
    {
        Assert.That(BrowserHeaders.Version(agent, product), Is.EqualTo(expected));
    }
}
