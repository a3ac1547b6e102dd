using System.Net;
using LinkTracking.Application.Common.Security;

namespace LinkTracking.Application.UnitTests.Security;

/// <summary>
/// Written from the IANA IPv4 and IPv6 special-purpose address registries, one row per registry entry (an address
/// inside it and the entry's "Globally Reachable"), independently of the table in the code; then each way an IPv6
/// address carries an IPv4 one.
/// </summary>
public sealed class SpecialPurposeAddressesTests
{
    [TestCase("0.0.0.0", false, TestName = "IPv4 0.0.0.0/32 This host on this network")]
    [TestCase("0.1.2.3", false, TestName = "IPv4 0.0.0.0/8 This network")]
    [TestCase("10.20.30.40", false, TestName = "IPv4 10.0.0.0/8 Private-Use")]
    [TestCase("100.64.0.1", false, TestName = "IPv4 100.64.0.0/10 Shared Address Space (first)")]
    [TestCase("100.127.255.254", false, TestName = "IPv4 100.64.0.0/10 Shared Address Space (last)")]
    [TestCase("127.0.0.1", false, TestName = "IPv4 127.0.0.0/8 Loopback")]
    [TestCase("127.255.255.254", false, TestName = "IPv4 127.0.0.0/8 Loopback (last)")]
    [TestCase("169.254.169.254", false, TestName = "IPv4 169.254.0.0/16 Link Local")]
    [TestCase("172.16.0.1", false, TestName = "IPv4 172.16.0.0/12 Private-Use (first)")]
    [TestCase("172.31.255.254", false, TestName = "IPv4 172.16.0.0/12 Private-Use (last)")]
    [TestCase("192.0.0.200", false, TestName = "IPv4 192.0.0.0/24 IETF Protocol Assignments")]
    [TestCase("192.0.0.1", false, TestName = "IPv4 192.0.0.0/29 IPv4 Service Continuity Prefix")]
    [TestCase("192.0.0.8", false, TestName = "IPv4 192.0.0.8/32 IPv4 dummy address")]
    [TestCase("192.0.0.9", true, TestName = "IPv4 192.0.0.9/32 Port Control Protocol Anycast")]
    [TestCase("192.0.0.10", true, TestName = "IPv4 192.0.0.10/32 TURN Anycast")]
    [TestCase("192.0.0.170", false, TestName = "IPv4 192.0.0.170/32 NAT64/DNS64 Discovery")]
    [TestCase("192.0.0.171", false, TestName = "IPv4 192.0.0.171/32 NAT64/DNS64 Discovery")]
    [TestCase("192.0.2.1", false, TestName = "IPv4 192.0.2.0/24 Documentation (TEST-NET-1)")]
    [TestCase("192.31.196.1", true, TestName = "IPv4 192.31.196.0/24 AS112-v4")]
    [TestCase("192.52.193.1", true, TestName = "IPv4 192.52.193.0/24 AMT")]
    [TestCase("192.88.99.1", false, TestName = "IPv4 192.88.99.0/24 Deprecated (6to4 Relay Anycast)")]
    [TestCase("192.168.1.1", false, TestName = "IPv4 192.168.0.0/16 Private-Use")]
    [TestCase("192.175.48.1", true, TestName = "IPv4 192.175.48.0/24 Direct Delegation AS112 Service")]
    [TestCase("198.18.0.1", false, TestName = "IPv4 198.18.0.0/15 Benchmarking (first)")]
    [TestCase("198.19.255.254", false, TestName = "IPv4 198.18.0.0/15 Benchmarking (last)")]
    [TestCase("198.51.100.7", false, TestName = "IPv4 198.51.100.0/24 Documentation (TEST-NET-2)")]
    [TestCase("203.0.113.9", false, TestName = "IPv4 203.0.113.0/24 Documentation (TEST-NET-3)")]
    [TestCase("240.0.0.1", false, TestName = "IPv4 240.0.0.0/4 Reserved")]
    [TestCase("255.255.255.255", false, TestName = "IPv4 255.255.255.255/32 Limited Broadcast")]
    [TestCase("224.0.0.251", false, TestName = "IPv4 224.0.0.0/4 multicast (not in the registry)")]
    [TestCase("::1", false, TestName = "IPv6 ::1/128 Loopback Address")]
    [TestCase("::", false, TestName = "IPv6 ::/128 Unspecified Address")]
    [TestCase("64:ff9b:1::1", false, TestName = "IPv6 64:ff9b:1::/48 IPv4-IPv6 Translat. (local use)")]
    [TestCase("100::1", false, TestName = "IPv6 100::/64 Discard-Only Address Block")]
    [TestCase("100:0:0:1::1", false, TestName = "IPv6 100:0:0:1::/64 Dummy IPv6 Prefix")]
    [TestCase("2001:1ff::1", false, TestName = "IPv6 2001::/23 IETF Protocol Assignments")]
    [TestCase("2001:1::1", true, TestName = "IPv6 2001:1::1/128 Port Control Protocol Anycast")]
    [TestCase("2001:1::2", true, TestName = "IPv6 2001:1::2/128 TURN Anycast")]
    [TestCase("2001:1::3", true, TestName = "IPv6 2001:1::3/128 DNS-SD SRP Anycast")]
    [TestCase("2001:1::4", false, TestName = "IPv6 2001:1::4 (no entry of its own: 2001::/23)")]
    [TestCase("2001:2::1", false, TestName = "IPv6 2001:2::/48 Benchmarking")]
    [TestCase("2001:3::1", true, TestName = "IPv6 2001:3::/32 AMT")]
    [TestCase("2001:4:112::1", true, TestName = "IPv6 2001:4:112::/48 AS112-v6")]
    [TestCase("2001:10::1", false, TestName = "IPv6 2001:10::/28 Deprecated (previously ORCHID)")]
    [TestCase("2001:20::1", true, TestName = "IPv6 2001:20::/28 ORCHIDv2")]
    [TestCase("2001:30::1", true, TestName = "IPv6 2001:30::/28 Drone Remote ID Protocol Entity Tags")]
    [TestCase("2001:db8::1", false, TestName = "IPv6 2001:db8::/32 Documentation")]
    [TestCase("2620:4f:8000::1", true, TestName = "IPv6 2620:4f:8000::/48 Direct Delegation AS112 Service")]
    [TestCase("3fff:fff::1", false, TestName = "IPv6 3fff::/20 Documentation")]
    [TestCase("5f00:1::1", false, TestName = "IPv6 5f00::/16 Segment Routing (SRv6) SIDs")]
    [TestCase("fd12:3456::1", false, TestName = "IPv6 fc00::/7 Unique-Local")]
    [TestCase("fe80::1", false, TestName = "IPv6 fe80::/10 Link-Local Unicast")]
    [TestCase("fec0::1", false, TestName = "IPv6 fec0::/10 site-local (deprecated, not in the registry)")]
    [TestCase("ff02::1", false, TestName = "IPv6 ff00::/8 multicast (not in the registry)")]
    [TestCase("1.1.1.1", true, TestName = "IPv4 public unicast")]
    [TestCase("8.8.8.8", true, TestName = "IPv4 public unicast (2)")]
    [TestCase("2606:4700:4700::1111", true, TestName = "IPv6 public unicast")]
    public void EveryRegistryEntry_IsJudgedAsTheRegistrySays(string address, bool globallyReachable) =>
        Assert.That(SpecialPurposeAddresses.IsGloballyReachable(IPAddress.Parse(address)), Is.EqualTo(globallyReachable));

    // Each embedding, once carrying a public IPv4 address (8.8.8.8 = 0808:0808) and once a loopback one (127.0.0.1 = 7f00:0001).
    [TestCase("::ffff:8.8.8.8", true, TestName = "IPv4-mapped ::ffff:0:0/96, public")]
    [TestCase("::ffff:127.0.0.1", false, TestName = "IPv4-mapped ::ffff:0:0/96, loopback")]
    [TestCase("::ffff:198.18.0.1", false, TestName = "IPv4-mapped ::ffff:0:0/96, benchmarking")]
    [TestCase("::8.8.8.8", true, TestName = "IPv4-compatible ::/96, public")]
    [TestCase("::127.0.0.1", false, TestName = "IPv4-compatible ::/96, loopback")]
    [TestCase("::10.0.0.1", false, TestName = "IPv4-compatible ::/96, private")]
    [TestCase("64:ff9b::808:808", true, TestName = "NAT64 64:ff9b::/96, public")]
    [TestCase("64:ff9b::7f00:1", false, TestName = "NAT64 64:ff9b::/96, loopback")]
    [TestCase("64:ff9b::a9fe:a9fe", false, TestName = "NAT64 64:ff9b::/96, link-local metadata address")]
    [TestCase("64:ff9b:1:808:8:800::", false, TestName = "NAT64 64:ff9b:1::/48, public (local-use prefix: never)")]
    [TestCase("2002:808:808::1", true, TestName = "6to4 2002::/16, public")]
    [TestCase("2002:7f00:1::", false, TestName = "6to4 2002::/16, loopback")]
    [TestCase("2002:c0a8:101::1", false, TestName = "6to4 2002::/16, private")]
    [TestCase("2001:0:808:808:0:0:f7f7:f7f7", true, TestName = "Teredo 2001::/32, public server and public client")]
    [TestCase("2001:0:808:808:0:0:80ff:fffe", false, TestName = "Teredo 2001::/32, client 127.0.0.1 (inverted)")]
    [TestCase("2001:0:7f00:1:0:0:f7f7:f7f7", false, TestName = "Teredo 2001::/32, server 127.0.0.1")]
    [TestCase("2001:0:808:808:0:0:f5ff:fffe", false, TestName = "Teredo 2001::/32, client 10.0.0.1 (inverted)")]
    public void AnIPv6AddressCarryingAnIPv4One_IsJudgedByBoth(string address, bool globallyReachable) =>
        Assert.That(SpecialPurposeAddresses.IsGloballyReachable(IPAddress.Parse(address)), Is.EqualTo(globallyReachable));

    [TestCase("64:ff9b::7f00:1", "127.0.0.1")]
    [TestCase("64:ff9b:1:7f00:0:100::", "127.0.0.1")]
    [TestCase("2002:7f00:1::", "127.0.0.1")]
    [TestCase("2001:0:a00:1:0:0:80ff:fffe", "10.0.0.1,127.0.0.1")]
    [TestCase("2606:4700:4700::1111", "")]
    public void Embedded_FindsTheIPv4AddressesAsTheirRfcsPlaceThem(string address, string expected) =>
        Assert.That(
            string.Join(',', SpecialPurposeAddresses.Embedded(IPAddress.Parse(address)).Select(a => a.ToString())),
            Is.EqualTo(expected));
}
