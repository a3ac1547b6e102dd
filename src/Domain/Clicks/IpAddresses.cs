using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace LinkTracking.Domain.Clicks;

/// <summary>
/// IP address rules: the one form an address takes at every way in (<see cref="Normalise"/>), anonymisation and
/// partial display.
/// </summary>
public static class IpAddresses
{
    /// <summary>
    /// The form every address is kept, counted and judged in: an IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>, what a
    /// dual-stack socket reports for an IPv4 client, or what a partner may send) is the IPv4 address; any other is
    /// itself. Every way an address comes in (redirect, partner clicks, orphan visits, erasure) goes through here, and
    /// so does every rule that reads one (classifier, enrichment, rate limits).
    /// </summary>
    [return: NotNullIfNotNull(nameof(address))]
    public static IPAddress? Normalise(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>Parses an address already validated as one, in its <see cref="Normalise">normal form</see>.</summary>
    public static IPAddress Parse(string address) => Normalise(IPAddress.Parse(address));

    /// <summary>
    /// IPv4 keeps its first 3 octets (/24), IPv6 its first 48 bits (/48); an IPv4-mapped IPv6 address is treated as
    /// IPv4. The PostgreSQL anonymiser's SQL computes exactly this.
    /// </summary>
    public static IPAddress Anonymise(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normalise(address);
        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return new IPAddress(bytes);
    }

    /// <summary>The address with its host part masked, for display: <c>203.0.113.*</c> or <c>2001:db8:85a3:*</c>.</summary>
    public static string Partial(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normalise(address);
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}.*"
            : $"{bytes[0] << 8 | bytes[1]:x}:{bytes[2] << 8 | bytes[3]:x}:{bytes[4] << 8 | bytes[5]:x}:*";
    }
}
