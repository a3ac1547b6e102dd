using System.Net;
using System.Net.Sockets;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Domain.UnitTests.Clicks;

public sealed class IpAddressesTests
{
    [TestCase("203.0.113.77", "203.0.113.0")]
    [TestCase("10.1.2.255", "10.1.2.0")]
    [TestCase("198.51.100.0", "198.51.100.0")]
    public void Anonymise_OfIpv4_KeepsTheFirstThreeOctets(string address, string expected)
    {
        var anonymised = IpAddresses.Anonymise(IPAddress.Parse(address));

        Assert.That(anonymised, Is.EqualTo(IPAddress.Parse(expected)));
    }

    [TestCase("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::")]
    [TestCase("2001:db8:85a3:ffff:ffff:ffff:ffff:ffff", "2001:db8:85a3::")]
    [TestCase("2001:db8:12ff::1", "2001:db8:12ff::")]
    [TestCase("::1", "::")]
    public void Anonymise_OfIpv6_KeepsTheFirst48Bits(string address, string expected)
    {
        var anonymised = IpAddresses.Anonymise(IPAddress.Parse(address));

        Assert.That(anonymised, Is.EqualTo(IPAddress.Parse(expected)));
    }

    [Test]
    public void Anonymise_OfIpv4MappedIpv6_TreatsItAsIpv4()
    {
        var anonymised = IpAddresses.Anonymise(IPAddress.Parse("::ffff:203.0.113.77"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(anonymised.AddressFamily, Is.EqualTo(AddressFamily.InterNetwork));
            Assert.That(anonymised, Is.EqualTo(IPAddress.Parse("203.0.113.0")));
        }
    }

    [TestCase("::ffff:203.0.113.7", "203.0.113.7")]
    [TestCase("::FFFF:0.0.0.1", "0.0.0.1")]
    [TestCase("203.0.113.7", "203.0.113.7")]
    [TestCase("2001:db8::1", "2001:db8::1")]
    [TestCase("::203.0.113.7", "::203.0.113.7")]
    [TestCase("64:ff9b::cb00:7107", "64:ff9b::cb00:7107")]
    public void Normalise_UnmapsIpv4MappedAddressesOnly(string address, string expected)
    {
        var normal = IpAddresses.Normalise(IPAddress.Parse(address));

        Assert.That(normal, Is.EqualTo(IPAddress.Parse(expected)));
        Assert.That(normal.AddressFamily, Is.EqualTo(IPAddress.Parse(expected).AddressFamily));
    }

    [TestCase("203.0.113.77", "203.0.113.*")]
    [TestCase("10.0.0.1", "10.0.0.*")]
    [TestCase("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3:*")]
    [TestCase("2001:0db8:0000::1", "2001:db8:0:*")]
    [TestCase("::ffff:198.51.100.7", "198.51.100.*")]
    public void Partial_MasksTheHostPart(string address, string expected)
    {
        var partial = IpAddresses.Partial(IPAddress.Parse(address));

        Assert.That(partial, Is.EqualTo(expected));
    }
}
