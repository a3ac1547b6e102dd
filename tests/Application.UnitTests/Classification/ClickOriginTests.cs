using System.Net;
using LinkTracking.Application.Clicks.Classification;

namespace LinkTracking.Application.UnitTests.Classification;

public sealed class ClickOriginTests
{
    [TestCase("203.0.113.77", "203.0.113.0/24")]
    [TestCase("::ffff:203.0.113.77", "203.0.113.0/24")]
    [TestCase("2001:db8:abcd:12:1::9", "2001:db8:abcd::/48")]
    public void Of_AnAccessNetworkAddress_IsItsAnonymisedPrefix(string address, string origin) =>
        Assert.That(ClickOrigin.Of(IPAddress.Parse(address), NetworkInfo.Unknown), Is.EqualTo(origin));

    [TestCase(NetworkKind.Datacenter)]
    [TestCase(NetworkKind.Scanner)]
    public void Of_AHostingOrScannerAddress_IsItsNetwork_SoAScannersPoolIsOneOrigin(NetworkKind kind)
    {
        var network = new NetworkInfo(8075, "MICROSOFT-CORP-MSN-AS-BLOCK", kind);

        Assert.That(ClickOrigin.Of(IPAddress.Parse("40.94.1.2"), network), Is.EqualTo("AS8075"));
        Assert.That(ClickOrigin.Of(IPAddress.Parse("52.100.9.9"), network), Is.EqualTo("AS8075"));
    }

    [Test]
    public void Of_HumanEgress_IsThePrefix_NotTheWholeNetwork()
    {
        var zscaler = new NetworkInfo(53813, "ZSCALER-INC", NetworkKind.HumanEgress);

        Assert.That(ClickOrigin.Of(IPAddress.Parse("165.225.1.2"), zscaler), Is.EqualTo("165.225.1.0/24"));
    }

    [Test]
    public void Of_NoAddress_IsUnknown() => Assert.That(ClickOrigin.Of(null, NetworkInfo.Unknown), Is.Null);
}
