using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

/// <summary>
/// People on cloud desktops (Windows 365 / Azure Virtual Desktop, Amazon WorkSpaces, Citrix DaaS) and behind remote
/// browser isolation (Menlo, Cloudflare, Zscaler, Netskope): an ordinary browser with its complete headers, hours
/// after the email went out, is a person; the network is context, not the reason. The same fetch on delivery, without
/// a browser's headers, or from a mail-security vendor is still a scanner.
/// </summary>
public sealed class CloudDesktopTests
{
    private const string Edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    private const string MacSafari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15";

    public static readonly object[] CloudDesktops =
    [
        new object[] { "Windows 365 / Azure Virtual Desktop (Microsoft AS8075)", "40.94.25.10" },
        new object[] { "Amazon WorkSpaces (AWS AS14618)", "3.80.0.10" },
        new object[] { "Amazon WorkSpaces (AWS AS14618, IPv6)", "2600:1f18:4000::10" },
        new object[] { "Citrix DaaS on Google Cloud (AS396982)", "34.16.0.10" },
    ];

    public static readonly object[] IsolationNetworks =
    [
        new object[] { "Menlo Security (AS62654)", "57.140.0.10" },
        new object[] { "Cloudflare Browser Isolation (AS13335)", "104.16.0.10" },
        new object[] { "Zscaler Cloud Browser Isolation (AS62044)", "165.225.20.10" },
        new object[] { "Netskope isolation (AS55256)", "8.36.116.10" },
    ];

    private static ClickFacts Hours(string agent, string address, double hoursAfterSend = 3) =>
        Clicks.Person(agent, IPAddress.Parse(address)) with { ClickedAt = Clicks.SentAt.AddHours(hoursAfterSend) };

    [TestCaseSource(nameof(CloudDesktops))]
    public void Classify_WhenCloudDesktopBrowserHoursAfterSend_IsHumanWithTheNetworkAsContext(string network, string address)
    {
        var result = Clicks.Classifier().Classify(Hours(Edge, address));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human), network);
        Assert.That(result.Signals, Is.EqualTo(new[] { ClickSignals.DatacenterNetwork }), network);
        Assert.That(result.Reason, Is.Null, network);
    }

    [TestCaseSource(nameof(IsolationNetworks))]
    public void Classify_WhenIsolationBrowserHoursAfterSend_IsHuman(string network, string address)
    {
        var result = Clicks.Classifier().Classify(Hours(Clicks.Chrome, address));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human), $"{network}: {string.Join(",", result.Signals)}");
    }

    [TestCaseSource(nameof(CloudDesktops))]
    public void Classify_WhenCloudFetchWithinTheDeliveryWindow_IsScanner(string network, string address)
    {
        var facts = Hours(Edge, address) with { ClickedAt = Clicks.SentAt.AddSeconds(40) };

        var result = Clicks.Classifier().Classify(facts);

        Assert.That(result.Category, Is.EqualTo(BotCategory.Scanner), network);
        Assert.That(result.Reason, Is.EqualTo(ClickSignals.SoonAfterSend), network);
    }

    [TestCaseSource(nameof(CloudDesktops))]
    public void Classify_WhenCloudFetchWithoutHeadersSeen_IsScanner(string network, string address)
    {
        var result = Clicks.Classifier().Classify(Hours(Edge, address) with { Headers = null });

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.DatacenterNetwork), network);
    }

    [Test]
    public void Classify_WhenSafariOnACloudWithoutFetchMetadata_IsScanner()
    {
        var headers = Clicks.ChromeHeaders() with { SecFetchDest = null, SecFetchMode = null, SecFetchSite = null, SecFetchUser = null, SecChUa = null };

        var cloud = Clicks.Classifier().Classify(Clicks.Person(MacSafari, Clicks.Aws, headers));
        var home = Clicks.Classifier().Classify(Clicks.Person(MacSafari, Clicks.HomeIsp, headers));

        Assert.That(cloud.Reason, Is.EqualTo(ClickSignals.MissingBrowserHeaders));
        Assert.That(home.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenSafariOnACloudWithFetchMetadata_IsHuman()
    {
        var result = Clicks.Classifier().Classify(Clicks.Person(MacSafari, Clicks.Aws, Clicks.ChromeHeaders() with { SecChUa = null }));

        Assert.That(result.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void Classify_WhenMailSecurityNetworkHoursAfterSendWithCompleteHeaders_StaysScanner()
    {
        var result = Clicks.Classifier().Classify(Hours(Edge, "66.159.228.10"));

        Assert.That(result.Reason, Is.EqualTo(ClickSignals.ScannerNetwork));
    }
}
