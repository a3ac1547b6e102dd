using System.Net;
using System.Net.Sockets;

namespace LinkTracking.Application.Common.Security;

/// <summary>
/// Whether an address is one anybody on the Internet can reach, as the IANA special-purpose address registries say, and
/// with the IPv4 address carried inside an IPv6 one judged too (NAT64, 6to4, Teredo, IPv4-mapped and -compatible): a
/// request to <c>64:ff9b::7f00:1</c> or <c>2002:7f00:1::</c> reaches 127.0.0.1 through a translator or relay.
/// The one table of "not public" for the service: webhook registration and every webhook connection use it.
/// </summary>
public static class SpecialPurposeAddresses
{
    // The tables follow, entry by entry:
    //   IANA IPv4 Special-Purpose Address Registry, https://www.iana.org/assignments/iana-ipv4-special-registry
    //     (version last updated 2020-09-04), and
    //   IANA IPv6 Special-Purpose Address Registry, https://www.iana.org/assignments/iana-ipv6-special-registry
    //     (version last updated 2025-10-09).
    // NotGloballyReachable holds every entry whose "Globally Reachable" is False, and a few that are not in those
    // registries or whose column says N/A because they are deprecated (marked "not in the registry" / "N/A").
    // GloballyReachable holds the entries marked True that sit inside a False block (the registries' footnote: a more
    // specific registration overrides), and the tunnelling prefixes whose column is N/A: those are judged by the IPv4
    // addresses they embed (see Embedded). The most specific entry that contains an address decides; no entry: reachable.
    private static readonly IPNetwork[] NotGloballyReachable =
    [
        // IPv4
        IPNetwork.Parse("0.0.0.0/8"), // "This network" (0.0.0.0/32 "This host on this network" lies inside)
        IPNetwork.Parse("10.0.0.0/8"), // Private-Use
        IPNetwork.Parse("100.64.0.0/10"), // Shared Address Space (CGNAT)
        IPNetwork.Parse("127.0.0.0/8"), // Loopback
        IPNetwork.Parse("169.254.0.0/16"), // Link Local
        IPNetwork.Parse("172.16.0.0/12"), // Private-Use
        IPNetwork.Parse("192.0.0.0/24"), // IETF Protocol Assignments
        IPNetwork.Parse("192.0.0.0/29"), // IPv4 Service Continuity Prefix (DS-Lite)
        IPNetwork.Parse("192.0.0.8/32"), // IPv4 dummy address
        IPNetwork.Parse("192.0.0.170/32"), // NAT64/DNS64 Discovery
        IPNetwork.Parse("192.0.0.171/32"), // NAT64/DNS64 Discovery
        IPNetwork.Parse("192.0.2.0/24"), // Documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"), // Deprecated (6to4 Relay Anycast): N/A
        IPNetwork.Parse("192.168.0.0/16"), // Private-Use
        IPNetwork.Parse("198.18.0.0/15"), // Benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // Documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"), // Documentation (TEST-NET-3)
        IPNetwork.Parse("240.0.0.0/4"), // Reserved
        IPNetwork.Parse("255.255.255.255/32"), // Limited Broadcast
        IPNetwork.Parse("224.0.0.0/4"), // not in the registry: multicast, no single peer

        // IPv6
        IPNetwork.Parse("::1/128"), // Loopback Address
        IPNetwork.Parse("::/128"), // Unspecified Address
        IPNetwork.Parse("::ffff:0:0/96"), // IPv4-mapped Address (never reached here: judged as the IPv4 address it is)
        IPNetwork.Parse("64:ff9b:1::/48"), // IPv4-IPv6 Translat. (local-use NAT64)
        IPNetwork.Parse("100::/64"), // Discard-Only Address Block
        IPNetwork.Parse("100:0:0:1::/64"), // Dummy IPv6 Prefix
        IPNetwork.Parse("2001::/23"), // IETF Protocol Assignments
        IPNetwork.Parse("2001:2::/48"), // Benchmarking
        IPNetwork.Parse("2001:10::/28"), // Deprecated (previously ORCHID): N/A
        IPNetwork.Parse("2001:db8::/32"), // Documentation
        IPNetwork.Parse("3fff::/20"), // Documentation
        IPNetwork.Parse("5f00::/16"), // Segment Routing (SRv6) SIDs
        IPNetwork.Parse("fc00::/7"), // Unique-Local
        IPNetwork.Parse("fe80::/10"), // Link-Local Unicast
        IPNetwork.Parse("fec0::/10"), // not in the registry: deprecated site-local (RFC 3879)
        IPNetwork.Parse("ff00::/8"), // not in the registry: multicast, no single peer
    ];

    private static readonly IPNetwork[] GloballyReachable =
    [
        // IPv4, inside 192.0.0.0/24
        IPNetwork.Parse("192.0.0.9/32"), // Port Control Protocol Anycast
        IPNetwork.Parse("192.0.0.10/32"), // Traversal Using Relays around NAT Anycast

        // IPv6, inside 2001::/23
        IPNetwork.Parse("2001::/32"), // TEREDO: N/A; judged by the server and client IPv4 addresses it embeds
        IPNetwork.Parse("2001:1::1/128"), // Port Control Protocol Anycast
        IPNetwork.Parse("2001:1::2/128"), // Traversal Using Relays around NAT Anycast
        IPNetwork.Parse("2001:1::3/128"), // DNS-SD Service Registration Protocol Anycast
        IPNetwork.Parse("2001:3::/32"), // AMT
        IPNetwork.Parse("2001:4:112::/48"), // AS112-v6
        IPNetwork.Parse("2001:20::/28"), // ORCHIDv2
        IPNetwork.Parse("2001:30::/28"), // Drone Remote ID Protocol Entity Tags (DETs) Prefix

        // IPv6 prefixes that carry an IPv4 address (not inside a False block; listed so the table reads whole)
        IPNetwork.Parse("64:ff9b::/96"), // IPv4-IPv6 Translat. (well-known NAT64 prefix): True; judged by its IPv4 too
        IPNetwork.Parse("2002::/16"), // 6to4: N/A; judged by the IPv4 address it embeds
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64LocalUse = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");

    /// <summary>
    /// True when the registries call the address globally reachable and so is every IPv4 address it carries; an
    /// IPv4-mapped (<c>::ffff:a.b.c.d</c>) or IPv4-compatible (<c>::a.b.c.d</c>) address is judged as that IPv4 address.
    /// </summary>
    public static bool IsGloballyReachable(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return IsGloballyReachable(address.MapToIPv4());
            }

            if (IPv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
            {
                return IsGloballyReachable(new IPAddress(address.GetAddressBytes().AsSpan(12, 4)));
            }
        }

        return RegistrySaysReachable(address) && Embedded(address).All(IsGloballyReachable);
    }

    /// <summary>The IPv4 addresses an IPv6 address carries: NAT64 (RFC 6052), 6to4 (RFC 3056), Teredo (RFC 4380).</summary>
    public static IReadOnlyList<IPAddress> Embedded(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return [];
        }

        var b = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return [new IPAddress(b.AsSpan(12, 4))];
        }

        if (Nat64LocalUse.Contains(address))
        {
            // RFC 6052 §2.2, a /48 prefix: the IPv4 address is in bits 48-63 and 72-87 (bits 64-71 are the "u" octet).
            return [new IPAddress([b[6], b[7], b[9], b[10]])];
        }

        if (SixToFour.Contains(address))
        {
            return [new IPAddress(b.AsSpan(2, 4))];
        }

        if (Teredo.Contains(address))
        {
            // The Teredo server's IPv4 address in bits 32-63; the client's public IPv4 address in the last 32 bits, inverted.
            return [new IPAddress(b.AsSpan(4, 4)), new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]])];
        }

        return [];
    }

    private static bool RegistrySaysReachable(IPAddress address) =>
        LongestMatch(GloballyReachable, address) >= LongestMatch(NotGloballyReachable, address);

    private static int LongestMatch(IPNetwork[] table, IPAddress address)
    {
        var longest = -1;
        foreach (var network in table)
        {
            if (network.PrefixLength > longest && network.Contains(address))
            {
                longest = network.PrefixLength;
            }
        }

        return longest;
    }
}
